/**
 * Real servers for the interop suite, all on 127.0.0.1 with ports picked at run time:
 * httpbin under gunicorn, nginx (TLS, HTTP/2, gzip) in front of it, an open tinyproxy and a
 * tinyproxy that wants `Proxy-Authorization: Basic user:pass`.
 *
 * Everything runs from a fresh temporary directory with generated configs, so nothing on the
 * machine is touched. The binaries come from Debian packages (`nginx python3-httpbin gunicorn
 * tinyproxy`); `.ci/run` installs them.
 *
 * @module
 */

/** Absolute paths, so `--allow-run` can name them and pyenv's `python3` on PATH is not used. */
export const SERVER_BINARIES = {
  python: "/usr/bin/python3",
  nginx: "/usr/sbin/nginx",
  tinyproxy: "/usr/bin/tinyproxy",
} as const;

/** Credentials the authenticating proxy accepts. */
export const PROXY_USER = "user";
/** Password for {@linkcode PROXY_USER}. */
export const PROXY_PASSWORD = "pass";

/** Size of the static file nginx serves at `/static/large.bin`: more than httpbin's 100 KiB cap. */
export const LARGE_FILE_SIZE = 5 * 1024 * 1024;

const DEFAULT_CERT_DIR = new URL("../support/certs/", import.meta.url);
const CA_FILE = "ca.pem";
const LEAF_CERT_FILE = "localhost.pem";
const LEAF_KEY_FILE = "localhost-key.pem";

/** Bounded wait for a server to answer: 200 tries, 50 ms apart. */
const READY_ATTEMPTS = 200;
const READY_INTERVAL_MS = 50;

/** The running servers; `close()` stops them all and removes the temporary directory. */
export interface InteropServers {
  /** `http://127.0.0.1:PORT`: httpbin (gunicorn). */
  readonly httpbin: string;
  /** `https://localhost:PORT`: nginx with TLS 1.2/1.3 and h2, proxying to httpbin. */
  readonly https: string;
  /** `http://127.0.0.1:PORT`: the same nginx locations without TLS. */
  readonly nginxHttp: string;
  /** `http://127.0.0.1:PORT`: tinyproxy, open. */
  readonly proxy: string;
  /** `http://127.0.0.1:PORT`: tinyproxy with `BasicAuth user pass`; no credentials in the URL. */
  readonly authProxy: string;
  /** PEM of the CA that signed the nginx certificate. */
  readonly caCertificate: string;
  /** Path on nginx of a {@linkcode LARGE_FILE_SIZE}-byte file of known content (see {@linkcode largeFileByte}). */
  readonly largeFilePath: string;
  /** Stops every server (awaiting each process) and removes the temporary directory. */
  close(): Promise<void>;
}

/** Byte `i` of the large static file: a repeating pattern, so any offset can be checked. */
export function largeFileByte(i: number): number {
  return (i * 31 + (i >> 12)) & 0xff;
}

/** Whether this process may start the servers; without `--allow-run` the interop tests are ignored. */
export function canStartServers(): boolean {
  return Object.values(SERVER_BINARIES).every((command) =>
    Deno.permissions.querySync({ name: "run", command }).state === "granted"
  );
}

/** One child process whose stdout/stderr are not read while it runs (no ops leak into tests). */
class ServerProcess {
  readonly name: string;
  readonly #child: Deno.ChildProcess;
  readonly #stopSignal: Deno.Signal;
  readonly #logFile: string | undefined;
  #exited = false;
  #stopped: Promise<string> | undefined;
  readonly #status: Promise<Deno.CommandStatus>;

  constructor(
    name: string,
    command: string,
    args: string[],
    options: { stopSignal: Deno.Signal; logFile?: string; cwd: string },
  ) {
    this.name = name;
    this.#stopSignal = options.stopSignal;
    this.#logFile = options.logFile;
    this.#child = new Deno.Command(command, {
      args,
      cwd: options.cwd,
      // A fixed environment: pyenv's variables, proxies and locale of the caller stay out.
      clearEnv: true,
      env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin", LANG: "C.UTF-8" },
      stdin: "null",
      stdout: "null",
      // Servers log to files; stderr only gets early start-up failures, read after exit.
      stderr: "piped",
    }).spawn();
    this.#status = this.#child.status.then((status) => {
      this.#exited = true;
      return status;
    });
  }

  get exited(): boolean {
    return this.#exited;
  }

  /** Kills the process for good (sync; used at unload when nothing can be awaited). */
  killNow(): void {
    if (this.#exited) return;
    try {
      this.#child.kill("SIGKILL");
    } catch {
      // Already gone.
    }
  }

  /** Stops the process and waits for it; returns what it wrote on stderr (bounded). */
  stop(): Promise<string> {
    this.#stopped ??= this.#stop();
    return this.#stopped;
  }

  async #stop(): Promise<string> {
    if (!this.#exited) {
      try {
        this.#child.kill(this.#stopSignal);
      } catch {
        // It exited between the check and the kill.
      }
    }
    const forceKill = setTimeout(() => this.killNow(), 5000);
    try {
      await this.#status;
    } finally {
      clearTimeout(forceKill);
    }
    return await readBounded(this.#child.stderr, 2000);
  }

  /** A description for a start-up failure: exit status, stderr and the end of the log file. */
  async describeFailure(): Promise<string> {
    const stderr = await this.stop();
    const status = await this.#status;
    let log = "";
    if (this.#logFile) {
      try {
        log = (await Deno.readTextFile(this.#logFile)).slice(-4000);
      } catch {
        log = "(no log file)";
      }
    }
    return `${this.name} (exit code ${status.code}${status.signal ? `, signal ${status.signal}` : ""})` +
      `\n--- stderr ---\n${stderr.slice(-4000)}\n--- log ---\n${log}`;
  }
}

/** Reads a stream to its end or until `ms` passed, then cancels it; never throws. */
async function readBounded(stream: ReadableStream<Uint8Array>, ms: number): Promise<string> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = "";
  // Grandchildren (workers) may hold the pipe open after the parent exited.
  const deadline = setTimeout(() => reader.cancel().catch(() => {}), ms);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    // A cancelled or broken pipe: keep what was read.
  } finally {
    clearTimeout(deadline);
    await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
  return text + decoder.decode();
}

// Below Linux's ephemeral range (32768-60999): a port picked there could be taken by any
// outgoing connection (other tests' clients) between the check and the server's bind.
const PORT_RANGE = { from: 20000, to: 32000 } as const;

/** A port that was free a moment ago and is not in `taken`. */
function freePort(taken: Set<number>): number {
  for (;;) {
    const port = PORT_RANGE.from + Math.floor(Math.random() * (PORT_RANGE.to - PORT_RANGE.from));
    if (taken.has(port)) continue;
    try {
      Deno.listen({ hostname: "127.0.0.1", port }).close();
    } catch {
      continue; // In use.
    }
    taken.add(port);
    return port;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `probe` until it returns true; fails early when the process died. */
async function waitUntilReady(process: ServerProcess, probe: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < READY_ATTEMPTS; attempt++) {
    if (process.exited) break;
    try {
      if (await probe()) return;
    } catch {
      // Not listening yet.
    }
    await delay(READY_INTERVAL_MS);
  }
  const reason = process.exited ? "exited during start-up" : "did not answer in time";
  throw new Error(`Cannot start ${process.name}: it ${reason}\n${await process.describeFailure()}`);
}

/** Probe: an HTTP GET answered with `expectedStatus`, through a client closed right after. */
async function answers(
  url: string,
  expectedStatus: number,
  init: Deno.CreateHttpClientOptions = {},
): Promise<boolean> {
  const client = Deno.createHttpClient(init);
  try {
    const response = await fetch(url, { client, signal: AbortSignal.timeout(2000) });
    await response.body?.cancel();
    return response.status === expectedStatus;
  } finally {
    client.close();
  }
}

/** Probe: a TCP connection is accepted. */
async function accepts(port: number): Promise<boolean> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  conn.close();
  return true;
}

function httpbinArgs(port: number, dir: string): string[] {
  return [
    "-m",
    "gunicorn",
    "--bind",
    `127.0.0.1:${port}`,
    // Threads, so a request stuck in /delay or /drip does not block the next test.
    "--workers",
    "2",
    "--threads",
    "8",
    "--error-logfile",
    `${dir}/httpbin.log`,
    "--pid",
    `${dir}/httpbin.pid`,
    "--worker-tmp-dir",
    dir,
    "httpbin:app",
  ];
}

function nginxConfig(
  dir: string,
  ports: { https: number; http: number; httpbin: number },
  certs: { cert: string; key: string },
): string {
  const locations = `
    location /static/ { alias ${dir}/www/; }
    location / {
      proxy_pass http://127.0.0.1:${ports.httpbin};
      proxy_http_version 1.1;
      proxy_set_header Host $http_host;
      proxy_set_header Connection "";
      proxy_buffering off;
      proxy_request_buffering off;
    }
    # httpbin without the Location field of its answer, e.g. /no-location/status/302.
    location /no-location/ {
      proxy_pass http://127.0.0.1:${ports.httpbin}/;
      proxy_hide_header Location;
    }
    # httpbin's answers cut short: after 1 s of upstream silence mid-body (e.g. /drip), nginx
    # gives up and closes the client's connection before the declared Content-Length.
    location /cut-short/ {
      proxy_pass http://127.0.0.1:${ports.httpbin}/;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
      proxy_read_timeout 1s;
    }`;
  return `# generated by tests/interop/servers.ts
daemon off;
master_process on;
worker_processes 1;
# Only effective as root (CI): the workers then read the 0700 temporary directory.
user root root;
pid ${dir}/nginx.pid;
error_log ${dir}/nginx-error.log warn;
events { worker_connections 256; }
http {
  access_log ${dir}/nginx-access.log;
  client_body_temp_path ${dir}/nginx-client-body;
  proxy_temp_path ${dir}/nginx-proxy;
  fastcgi_temp_path ${dir}/nginx-fastcgi;
  uwsgi_temp_path ${dir}/nginx-uwsgi;
  scgi_temp_path ${dir}/nginx-scgi;
  types { text/plain txt; application/octet-stream bin; }
  default_type application/octet-stream;
  gzip on;
  gzip_proxied any;
  gzip_types text/plain application/json;
  server {
    listen 127.0.0.1:${ports.https} ssl http2;
    server_name localhost;
    # Lets a test see the protocol the client negotiated (fetch does not tell).
    add_header X-Server-Protocol $server_protocol always;
    ssl_certificate ${certs.cert};
    ssl_certificate_key ${certs.key};
    ssl_protocols TLSv1.2 TLSv1.3;
    ${locations}
  }
  server {
    listen 127.0.0.1:${ports.http};
    server_name localhost;
    add_header X-Server-Protocol $server_protocol always;
    ${locations}
  }
}
`;
}

function tinyproxyConfig(dir: string, name: string, port: number, basicAuth: boolean): string {
  // No ConnectPort lines: CONNECT is allowed to any port (nginx's is random).
  return `# generated by tests/interop/servers.ts
Port ${port}
Listen 127.0.0.1
Timeout 60
Allow 127.0.0.1
MaxClients 64
PidFile "${dir}/${name}.pid"
LogFile "${dir}/${name}.log"
LogLevel Info
${basicAuth ? `BasicAuth ${PROXY_USER} ${PROXY_PASSWORD}\n` : ""}`;
}

async function writeLargeFile(path: string): Promise<void> {
  const data = new Uint8Array(LARGE_FILE_SIZE);
  for (let i = 0; i < data.length; i++) data[i] = largeFileByte(i);
  await Deno.writeFile(path, data);
}

/**
 * Starts httpbin, nginx and both tinyproxies, waiting until each answers.
 * On any failure everything already started is stopped before the error is thrown.
 *
 * @example Use from a test file (servers start once, outside the sanitized tests)
 * ```ts ignore
 * let servers: InteropServers;
 * Deno.test.beforeAll(async () => { servers = await startServers(); });
 * Deno.test.afterAll(() => servers?.close());
 * ```
 */
export async function startServers(
  options: { certificateDir?: URL } = {},
): Promise<InteropServers> {
  const certDir = options.certificateDir ?? DEFAULT_CERT_DIR;
  const caCertificate = await Deno.readTextFile(new URL(CA_FILE, certDir));
  for (let attempt = 1;; attempt++) {
    try {
      return await startOnce(certDir, caCertificate);
    } catch (error) {
      // Another process may take a checked port before the server binds it: try new ports.
      if (attempt >= START_ATTEMPTS || !PORT_IN_USE.test((error as Error).message)) throw error;
    }
  }
}

/** How often a start is retried when a server could not bind its port. */
const START_ATTEMPTS = 3;
/** nginx, gunicorn and tinyproxy's words for a port that is taken. */
const PORT_IN_USE = /Address already in use|Connection in use|Could not create listening sockets/i;

async function startOnce(certDir: URL, caCertificate: string): Promise<InteropServers> {
  // Under /tmp rather than $TMPDIR, so `--allow-write=/tmp` covers it without env access.
  const dir = await Deno.makeTempDir({ dir: "/tmp", prefix: "netreply-interop-" });
  const processes: ServerProcess[] = [];
  const killAll = (): void => processes.forEach((p) => p.killNow());
  globalThis.addEventListener("unload", killAll);

  const close = async (): Promise<void> => {
    // Proxies and nginx first, so nothing talks to httpbin while it stops.
    for (const process of processes.toReversed()) await process.stop();
    globalThis.removeEventListener("unload", killAll);
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  };

  try {
    const taken = new Set<number>();
    const ports = {
      httpbin: freePort(taken),
      https: freePort(taken),
      http: freePort(taken),
      proxy: freePort(taken),
      authProxy: freePort(taken),
    };

    const httpbin = new ServerProcess(
      "httpbin (gunicorn)",
      SERVER_BINARIES.python,
      httpbinArgs(ports.httpbin, dir),
      {
        cwd: dir,
        stopSignal: "SIGINT", // gunicorn: INT is a quick shutdown, TERM waits for busy workers
        logFile: `${dir}/httpbin.log`,
      },
    );
    processes.push(httpbin);

    await Deno.mkdir(`${dir}/www`);
    await writeLargeFile(`${dir}/www/large.bin`);
    await Deno.writeTextFile(
      `${dir}/nginx.conf`,
      nginxConfig(dir, ports, {
        cert: Deno.realPathSync(new URL(LEAF_CERT_FILE, certDir)),
        key: Deno.realPathSync(new URL(LEAF_KEY_FILE, certDir)),
      }),
    );
    const nginx = new ServerProcess(
      "nginx",
      SERVER_BINARIES.nginx,
      ["-p", dir, "-c", `${dir}/nginx.conf`, "-e", `${dir}/nginx-error.log`],
      { cwd: dir, stopSignal: "SIGTERM", logFile: `${dir}/nginx-error.log` },
    );
    processes.push(nginx);

    const proxies: ServerProcess[] = [];
    for (
      const [name, port, auth] of [["tinyproxy", ports.proxy, false], [
        "tinyproxy-auth",
        ports.authProxy,
        true,
      ]] as const
    ) {
      await Deno.writeTextFile(`${dir}/${name}.conf`, tinyproxyConfig(dir, name, port, auth));
      const proxy = new ServerProcess(name, SERVER_BINARIES.tinyproxy, ["-d", "-c", `${dir}/${name}.conf`], {
        cwd: dir,
        stopSignal: "SIGTERM",
        logFile: `${dir}/${name}.log`,
      });
      processes.push(proxy);
      proxies.push(proxy);
    }

    const httpbinUrl = `http://127.0.0.1:${ports.httpbin}`;
    const httpsUrl = `https://localhost:${ports.https}`;
    // allSettled: every probe loop has ended before a failure stops the processes.
    const started = await Promise.allSettled([
      waitUntilReady(httpbin, () => answers(`${httpbinUrl}/status/204`, 204)),
      waitUntilReady(nginx, () => answers(`${httpsUrl}/static/large.bin`, 200, { caCerts: [caCertificate] })),
      waitUntilReady(proxies[0], () => accepts(ports.proxy)),
      waitUntilReady(proxies[1], () => accepts(ports.authProxy)),
    ]);
    const failures = started.flatMap((result) =>
      result.status === "rejected" ? [(result.reason as Error).message] : []
    );
    if (failures.length > 0) throw new Error(failures.join("\n\n"));
    // nginx answered its static file; make sure its way to httpbin works too.
    await waitUntilReady(nginx, () => answers(`${httpsUrl}/status/204`, 204, { caCerts: [caCertificate] }));

    return {
      httpbin: httpbinUrl,
      https: httpsUrl,
      nginxHttp: `http://127.0.0.1:${ports.http}`,
      proxy: `http://127.0.0.1:${ports.proxy}`,
      authProxy: `http://127.0.0.1:${ports.authProxy}`,
      caCertificate,
      largeFilePath: "/static/large.bin",
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Registers `beforeAll`/`afterAll` hooks that start the servers once for the calling test file
 * and stop them after its last test, outside any test, so the sanitizers see none of it.
 * Tests pass `ignore` to `Deno.test`: without `--allow-run` (the plain `task test`) they are
 * reported as ignored instead of failing.
 *
 * @example
 * ```ts ignore
 * const suite = setupInteropServers();
 * Deno.test({ name: "GET /get", ignore: suite.ignore }, async () => {
 *   const { httpbin } = suite.servers();
 * });
 * ```
 */
export function setupInteropServers(): { readonly ignore: boolean; servers(): InteropServers } {
  const ignore = !canStartServers();
  let servers: InteropServers | undefined;
  Deno.test.beforeAll(async () => {
    if (!ignore) servers = await startServers();
  });
  Deno.test.afterAll(async () => {
    await servers?.close();
    servers = undefined;
  });
  return {
    ignore,
    servers(): InteropServers {
      if (!servers) throw new Error("Cannot use the interop servers: they are not running");
      return servers;
    },
  };
}
