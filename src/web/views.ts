/**
 * The pages' templates (Eta, every `<%= %>` escaped; views/ beside this file, copied into dist by the build)
 * and the headers each page carries: a Content-Security-Policy that allows only Hindsight's own scripts,
 * styles and images, and no framing.
 */
import { Eta } from 'eta';
import type { Response } from 'express';
import path from 'node:path';

export const VIEWS_DIR = path.join(__dirname, 'views');
export const ASSETS_DIR = path.join(__dirname, 'assets');

const eta = new Eta({ views: VIEWS_DIR, autoEscape: true, autoTrim: false, cache: true, useWith: false });

export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** What every page's layout shows: who is signed in and the token its forms carry. */
export interface PageContext {
  person: { name: string; csrfToken: string; via: 'session' | 'proxy' } | null;
  title: string;
}

export function renderView(name: string, data: Record<string, unknown> & PageContext): string {
  return eta.render(name, data);
}

export function sendPage(
  res: Response,
  name: string,
  data: Record<string, unknown> & PageContext,
  status = 200,
  options: { referrerPolicy?: 'same-origin' | 'no-referrer' } = {},
): void {
  res.status(status).setHeader('Content-Security-Policy', PAGE_CSP);
  // Not no-referrer (the API's): under it a browser sends `Origin: null` with the page's own forms, and the
  // origin check refuses them. Other sites still get no referrer.
  res.setHeader('Referrer-Policy', options.referrerPolicy ?? 'same-origin');
  res.type('html').send(renderView(name, data));
}
