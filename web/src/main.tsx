import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { captureTokenFromHash } from './api.js';
import './styles.css';

// Before the first render (a later task, after `load`): see captureTokenFromHash.
captureTokenFromHash();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
