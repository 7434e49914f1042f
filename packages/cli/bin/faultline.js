#!/usr/bin/env node
// Runs the TypeScript entry point through tsx (faultline runs TS directly; nothing is built).
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
