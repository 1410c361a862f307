#!/usr/bin/env node
// Entry point of the `demarc` command. demarc runs its TypeScript sources through tsx,
// so there is no separate server build step to forget.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
