/** The ceiling: a bare express 5 app on PORT answering a POST with 202 and a small JSON body. */
import express from 'express';

const app = express();
app.post('/webhooks/datadog', express.raw({ type: () => true, limit: 1_000_000 }), (_req, res) => {
  res.status(202).json({ accepted: [{ eventId: 'x', jobId: 'y', test: false }] });
});
app.get('/healthz', (_req, res) => {
  res.json({ status: 'ok' });
});
const server = app.listen(Number(process.env.PORT ?? 3999), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
