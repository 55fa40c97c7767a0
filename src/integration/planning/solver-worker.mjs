// Worker bootstrap: a worker thread does not inherit the TypeScript loader, so it registers tsx
// itself (as bin/closeloop.js does) before loading the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./solver-worker.ts');
