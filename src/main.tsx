import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { startEngineEarly } from './worker/client';
import './ui/app.css';

// The engine worker loads while React renders the page (it is taken by the playground's first start).
startEngineEarly();
const root = document.getElementById('root');
if (!root) throw new Error('index.html lacks #root');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
