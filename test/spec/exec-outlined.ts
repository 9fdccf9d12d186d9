// The spec suite's execution scripts with every function outlined as finely as possible
// (codegen/outline.ts normally moves pieces only out of huge functions): the same report as
//   node dist/test/spec/exec-report.js [filter] [--2.0]
// exercising outlined code on the suite's control flow, locals, exceptions and traps.
import { outlineLimits } from '../../src/engine/codegen/outline.js';

outlineLimits.above = 0;
outlineLimits.piece = 400;
outlineLimits.min = 1;
await import('./exec-report.js');
