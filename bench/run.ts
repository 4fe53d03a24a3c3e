// npm run bench — prints tables; every figure is compared with a baseline measured in the same run.
// BENCH_ONLY=engine|server|features|fairness|distributed|cold-start|model-memory|durable|uploads|diffusion|inpaint narrows it (distributed needs PostgreSQL and redis-server).
const only = process.env.BENCH_ONLY;
if (!only || only === 'engine') await import('./engine-basics.ts');
if (!only || only === 'server') await import('./server-overhead.ts');
if (!only || only === 'features') await import('./local-features.ts');
if (!only || only === 'fairness') await import('./fairness.ts');
if (!only || only === 'distributed') await import('./distributed-throughput.ts');
if (!only || only === 'cold-start') await import('./cold-start.ts');
if (!only || only === 'model-memory') await import('./model-memory.ts');
if (!only || only === 'durable') await import('./durable-path.ts');
if (!only || only === 'uploads') await import('./uploads.ts');
if (!only || only === 'diffusion') await import('./diffusion.ts');
if (!only || only === 'inpaint') await import('./inpaint.ts');
