import { z } from 'zod';

// zod compiles fast object parsers with `new Function` (and probes for it) unless told not to; the server's
// CSP forbids eval (script-src 'self'). Set before any schema is built: schemas.ts imports this first.
z.config({ jitless: true });
