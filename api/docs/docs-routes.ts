import { Router, static as serveStatic } from 'express';
import { absolutePath } from 'swagger-ui-dist';
import { buildOpenApiDocument } from './openapi';

const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>offndat | API reference</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="ui"></div><script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script></body></html>`;
const init = `window.ui = SwaggerUIBundle({ url: '/openapi/v1.json', dom_id: '#ui', deepLinking: true });`;

/** The OpenAPI document and a self-hosted reference page (works offline: no CDN). */
export function docsRoutes(baseUrl: string): Router {
  const document = JSON.stringify(buildOpenApiDocument(baseUrl));
  const router = Router();
  router.get('/openapi/v1.json', (_req, res) => void res.type('application/json; charset=utf-8').send(document));
  router.get('/docs', (_req, res) => void res.type('html').send(page));
  router.get('/docs/init.js', (_req, res) => void res.type('application/javascript').send(init));
  router.use('/docs/assets', serveStatic(absolutePath(), { index: false, maxAge: '1d' }));
  return router;
}
