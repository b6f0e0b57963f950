import { mount } from 'svelte';
import App from './App.svelte';
import { workspace } from './state/workspace.svelte';
import { createNeuralClient } from './services/workers/neural-client';
import './app.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html lacks #app');
mount(App, { target });

// Test and support hook: lets the browser suite inspect the workspace and simulate an engine crash.
(window as unknown as { __clientele: unknown }).__clientele = { workspace, neural: createNeuralClient() };
