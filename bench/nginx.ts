/**
 * nginx as the reference reverse proxy: Debian's binary, started by the benchmark as the current user
 * with its own configuration and prefix in a temporary directory, listening on a free loopback port,
 * proxying to one upstream with keep-alive connections; stopped by its pid.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { freePort, waitForPort } from "./ports.js";
import { BenchProcess } from "./processes.js";
import type { RunningServer } from "./servers.js";

const NGINX = "/usr/sbin/nginx";

/** nginx's version line, or undefined when it is not installed. */
export function nginxVersion(): string | undefined {
  if (!existsSync(NGINX)) return undefined;
  // `nginx -v` prints "nginx version: nginx/1.22.1" on stderr.
  const { stderr, status } = spawnSync(NGINX, ["-v"], { encoding: "utf8" });
  return status === 0 ? stderr.trim().replace(/^nginx version: /, "") || "nginx" : undefined;
}

/** The directives a keep-alive reverse proxy needs, as nginx's documentation gives them. */
function config(prefix: string, port: number, upstreamPort: number): string {
  const user = userInfo();
  return `# Written by bench/nginx.ts for one benchmark run.
${user.uid === 0 ? "user root root;\n" : ""}worker_processes 1;
daemon off;
pid ${prefix}/nginx.pid;
error_log stderr warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${prefix}/client_body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  keepalive_requests 1000000;
  upstream app {
    server 127.0.0.1:${upstreamPort};
    keepalive 64;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-Host $http_host;
    }
  }
}
`;
}

/** A running nginx in front of 127.0.0.1:`upstreamPort`; `stop` also removes its directory. */
export async function startNginx(upstreamPort: number): Promise<RunningServer & { stop(): Promise<void> }> {
  const prefix = await mkdtemp(join(tmpdir(), "portico-bench-nginx-"));
  const port = await freePort();
  await writeFile(join(prefix, "nginx.conf"), config(prefix, port, upstreamPort));
  const process = new BenchProcess("nginx", NGINX, [
    "-p",
    prefix,
    "-c",
    join(prefix, "nginx.conf"),
    "-e",
    "stderr",
  ]);
  const stop = async () => {
    await process.stop();
    await rm(prefix, { recursive: true, force: true });
  };
  try {
    await waitForPort(port, 10_000, () => process.hasExited);
  } catch (error) {
    await stop();
    throw new Error(`nginx did not start: ${(error as Error).message}\n${process.tail()}`);
  }
  return { process, origin: `http://127.0.0.1:${port}`, stop };
}
