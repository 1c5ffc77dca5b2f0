import { describe, expect, it } from 'vitest';
import { keyAction, tabsFor, type KeyPress } from './keys';

const press = (key: string, o: Partial<KeyPress> = {}): KeyPress => ({ key, ctrlKey: false, metaKey: false, altKey: false, typing: false, ...o });
const pair = tabsFor('pair');

describe('keyAction', () => {
  it('Ctrl+F and Cmd+F go to the search, also from a text field, once something is loaded', () => {
    expect(keyAction(press('f', { ctrlKey: true }), pair)).toEqual({ kind: 'search' });
    expect(keyAction(press('F', { metaKey: true, typing: true }), pair)).toEqual({ kind: 'search' });
    // Nothing loaded: no search box, the browser's own find.
    expect(keyAction(press('f', { ctrlKey: true }), [])).toBeNull();
    expect(keyAction(press('f', { ctrlKey: true, altKey: true }), pair)).toBeNull();
  });

  it('? opens the key list anywhere but in a text field', () => {
    expect(keyAction(press('?'), [])).toEqual({ kind: 'keys' });
    expect(keyAction(press('?', { typing: true }), pair)).toBeNull();
  });

  it('numbers pick the tabs in toolbar order; a single profile has only its own', () => {
    expect(keyAction(press('3'), pair)).toEqual({ kind: 'tab', tab: 'diff' });
    expect(keyAction(press('4'), pair)).toEqual({ kind: 'tab', tab: 'sandwich' });
    expect(keyAction(press('5'), pair)).toBeNull();
    expect(keyAction(press('1'), tabsFor('head-only'))).toEqual({ kind: 'tab', tab: 'head' });
    expect(keyAction(press('2'), tabsFor('head-only'))).toBeNull();
    expect(keyAction(press('1', { typing: true }), pair)).toBeNull();
    expect(keyAction(press('1', { ctrlKey: true }), pair)).toBeNull();
  });

  it('r toggles recursion; 0 and arrows are left to the graph', () => {
    expect(keyAction(press('r'), pair)).toEqual({ kind: 'toggle-recursion' });
    expect(keyAction(press('r'), [])).toBeNull();
    expect(keyAction(press('0'), pair)).toBeNull();
    expect(keyAction(press('ArrowLeft'), pair)).toBeNull();
  });
});
