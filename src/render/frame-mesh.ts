// Every frame rectangle in one instanced draw call: a unit quad drawn once per
// rectangle, with position and colour as per-instance attributes (Perfetto's
// approach). Panning during a gesture changes a uniform, not the buffers.
import { Buffer, BufferUsage, Geometry, Mesh, Shader, UniformGroup } from 'pixi.js';
import { LABEL_SPLIT } from './colours';
import { STRIPE_DARKEN, STRIPE_LIGHTEN, STRIPE_PERIOD_PX, STRIPE_WIDTH_PX } from './constants';

const glsl = (x: number) => x.toFixed(6);

const vertex = `
  attribute vec2 aPosition;
  attribute vec4 aRect;
  attribute vec4 aColor;
  uniform vec2 uViewport;
  uniform vec3 uPan;
  uniform vec3 uSurface;
  varying vec4 vColor;
  varying float vStriped;
  varying vec3 vStripe;
  void main() {
    float x = aRect.x * uPan.x + uPan.y;
    float w = aRect.z * uPan.x;
    // A 1 px gap between neighbours, but never erase a thin frame.
    float gw = w > 3.0 ? w - 1.0 : w;
    vec2 p = vec2(x, aRect.y + uPan.z) + aPosition * vec2(gw, aRect.w - 1.0);
    vec2 clip = p / uViewport * 2.0 - 1.0;
    gl_Position = vec4(clip.x, -clip.y, 0.0, 1.0);
    vColor = vec4(aColor.w, aColor.z, aColor.y, aColor.x);
    // An even alpha byte marks a frame present on one side only (see DIMMED_ALPHA in constants.ts).
    vStriped = 1.0 - mod(floor(aColor.x * 255.0 + 0.5), 2.0);
    // The stripes move away from the label's colour: colours.ts's labelColour and stripeColour, in GLSL.
    vec3 shown = vColor.rgb * vColor.a + uSurface * (1.0 - vColor.a);
    vec3 lin = mix(shown / 12.92, pow((shown + 0.055) / 1.055, vec3(2.4)), step(0.04045, shown));
    bool darkLabel = dot(lin, vec3(0.2126, 0.7152, 0.0722)) >= ${glsl(LABEL_SPLIT)};
    vStripe = darkLabel ? mix(vColor.rgb, vec3(1.0), ${glsl(STRIPE_LIGHTEN)}) : vColor.rgb * ${glsl(1 - STRIPE_DARKEN)};
  }
`;

// Starts with its precision statement, so pixi keeps it (or lowers it to mediump where highp is missing):
// gl_FragCoord reaches thousands, past what mediump holds exactly.
const fragment = `precision highp float;
  uniform float uStripePhase;
  varying vec4 vColor;
  varying float vStriped;
  varying vec3 vStripe;
  void main() {
    // Device pixel (i, j) from the top-left is (floor(x), height - 1 - floor(y)); uStripePhase is (height - 1) mod period,
    // so this is (i + j) mod period: "/" stripes, the same pixels as the Canvas 2D drawer's.
    float k = mod(floor(gl_FragCoord.x) - floor(gl_FragCoord.y) + uStripePhase, ${glsl(STRIPE_PERIOD_PX)});
    vec3 rgb = vStriped > 0.5 && k < ${glsl(STRIPE_WIDTH_PX)} ? vStripe : vColor.rgb;
    gl_FragColor = vec4(rgb * vColor.a, vColor.a);
  }
`;

export class FrameMesh {
  readonly mesh: Mesh<Geometry, Shader>;
  private rectBuffer: Buffer;
  private colourBuffer: Buffer;
  private uniforms: UniformGroup<{
    uViewport: { value: Float32Array; type: 'vec2<f32>' };
    uPan: { value: Float32Array; type: 'vec3<f32>' };
    uStripePhase: { value: number; type: 'f32' };
    uSurface: { value: Float32Array; type: 'vec3<f32>' };
  }>;

  constructor() {
    this.rectBuffer = new Buffer({ data: new Float32Array(4), usage: BufferUsage.VERTEX | BufferUsage.COPY_DST });
    this.colourBuffer = new Buffer({ data: new Uint32Array(1), usage: BufferUsage.VERTEX | BufferUsage.COPY_DST });
    const geometry = new Geometry({
      attributes: {
        aPosition: { buffer: new Float32Array([0, 0, 1, 0, 1, 1, 0, 1]), format: 'float32x2' },
        aRect: { buffer: this.rectBuffer, format: 'float32x4', instance: true },
        aColor: { buffer: this.colourBuffer, format: 'unorm8x4', instance: true },
      },
      indexBuffer: new Uint32Array([0, 1, 2, 0, 2, 3]),
      instanceCount: 0,
    });
    this.uniforms = new UniformGroup({
      uViewport: { value: new Float32Array([1, 1]), type: 'vec2<f32>' },
      uPan: { value: new Float32Array([1, 0, 0]), type: 'vec3<f32>' },
      uStripePhase: { value: 0, type: 'f32' },
      uSurface: { value: new Float32Array([1, 1, 1]), type: 'vec3<f32>' },
    });
    const shader = Shader.from({ gl: { vertex, fragment }, resources: { flameUniforms: this.uniforms } });
    this.mesh = new Mesh({ geometry, shader });
  }

  /** Replaces every rectangle: rects as x, y, w, h CssPx; colours as 0xRRGGBBAA. */
  setRects(rects: Float32Array, colours: Uint32Array, count: number): void {
    this.rectBuffer.data = count > 0 ? rects.subarray(0, count * 4) : new Float32Array(4);
    this.colourBuffer.data = count > 0 ? colours.subarray(0, count) : new Uint32Array(1);
    this.mesh.geometry.instanceCount = count;
  }

  /** The viewport in CssPx, and the drawing buffer's height in DevicePx (gl_FragCoord counts from its bottom). */
  setViewport(widthPx: number, heightPx: number, bufferHeight: number): void {
    const v = this.uniforms.uniforms.uViewport;
    v[0] = widthPx;
    v[1] = heightPx;
    this.uniforms.uniforms.uStripePhase = (((bufferHeight - 1) % STRIPE_PERIOD_PX) + STRIPE_PERIOD_PX) % STRIPE_PERIOD_PX;
    this.uniforms.update();
  }

  /** The surface (0xRRGGBB) dimmed frames blend with, for the labels' and stripes' choice. */
  setSurface(rgb: number): void {
    const u = this.uniforms.uniforms.uSurface;
    u[0] = ((rgb >>> 16) & 0xff) / 255;
    u[1] = ((rgb >>> 8) & 0xff) / 255;
    u[2] = (rgb & 0xff) / 255;
    this.uniforms.update();
  }

  /** Moves the drawn rectangles by transform: x' = x·scale + dx, y' = y + dy (CssPx). */
  setPan(scale: number, dx: number, dy: number): void {
    const p = this.uniforms.uniforms.uPan;
    p[0] = scale;
    p[1] = dx;
    p[2] = dy;
    this.uniforms.update();
  }
}
