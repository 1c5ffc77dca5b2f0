import { render } from 'preact';
import { App } from './ui/App';
import './ui/app.css';
import { applyStoredScheme } from './ui/color-scheme';

applyStoredScheme();

render(<App />, document.getElementById('app')!);
