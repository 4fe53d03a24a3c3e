import { render } from 'preact';
import { ApiSession, serverBaseUrl } from './api-session.js';
import { App } from './app.js';
import './styles.css';

render(<App session={new ApiSession(serverBaseUrl())} />, document.getElementById('app')!);
