// The Hugging Face hub's file endpoint, `GET /{org}/{name}/resolve/{revision}/{path}`, serving model folders from disk
// so local generators can download a model offline (the worker is pointed here through HF_ENDPOINT).
import { readFileSync, statSync } from 'node:fs';
import { join, normalize } from 'node:path';
import type { Route } from './testServer';

/** Routes that serve `folders[repoId]` as the hub would serve repository `repoId` at any revision. */
export function hubFileRoutes(folders: Record<string, string>): Route[] {
  const handle: Route['handle'] = (request, response) => {
    const match = /^\/([^/]+\/[^/]+)\/resolve\/[^/]+\/(.+)$/.exec(request.path);
    const folder = match ? folders[match[1]] : undefined;
    const relative = match ? normalize(decodeURIComponent(match[2])) : '';
    if (!folder || relative.startsWith('..') || !isFile(join(folder, relative))) {
      response.writeHead(404, { 'content-type': 'text/plain', 'x-error-code': 'EntryNotFound' });
      response.end('Entry not found');
      return;
    }
    const body = readFileSync(join(folder, relative));
    response.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': body.length,
      etag: `"${body.length}"`,
    });
    response.end(request.method === 'HEAD' ? undefined : body);
  };
  const path = /^\/[^/]+\/[^/]+\/resolve\//;
  return [
    { method: 'GET', path, handle },
    { method: 'HEAD', path, handle },
  ];
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
