// HTTP at the socket level, for what fetch will not send (a newline in a header value, a path that
// is not UTF-8) and for uploads that stop once the server has answered, the way a well-behaved
// client stops when refused (fetch keeps writing a body to the end).
import net from "node:net";

export type RawAnswer = { status: number; headers: Headers; text: string };

/** The first answer on a socket: resolved once its head and declared body are in, or the socket ends. */
export function readAnswer(socket: net.Socket, signal: AbortSignal): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      const text = Buffer.concat(chunks).toString("latin1");
      const end = text.indexOf("\r\n\r\n");
      const [statusLine, ...lines] = text.slice(0, end < 0 ? text.length : end).split("\r\n");
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
      if (!status) return reject(error ?? new Error(`no HTTP answer: ${JSON.stringify(text.slice(0, 200))}`));
      const headers = new Headers();
      for (const line of lines) {
        const colon = line.indexOf(":");
        if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
      }
      resolve({ status, headers, text: end < 0 ? "" : Buffer.from(text.slice(end + 4), "latin1").toString("utf8") });
    };
    signal.addEventListener("abort", () => finish(new Error("no answer in time")));
    socket.on("data", (chunk) => {
      chunks.push(chunk);
      const text = Buffer.concat(chunks).toString("latin1");
      const end = text.indexOf("\r\n\r\n");
      const length = end < 0 ? null : /\r\ncontent-length: *(\d+)/i.exec(text.slice(0, end));
      if (length && Buffer.byteLength(text.slice(end + 4), "latin1") >= Number(length[1])) finish();
    });
    socket.on("end", () => finish());
    socket.on("close", () => finish());
    // The server may cut a connection that keeps sending once it has answered: the answer stands.
    socket.on("error", (error) => finish(error));
  });
}

/** Writes raw bytes to the server and reads its answer. */
export function sendRaw(port: number, bytes: string | Buffer, signal: AbortSignal): Promise<RawAnswer> {
  const socket = net.connect(port, "127.0.0.1");
  const answer = readAnswer(socket, signal);
  socket.write(bytes);
  return answer;
}

const FILLER = Buffer.alloc(64 * 1024, "x");

export type StreamedRequest = {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** The body's first bytes; filler follows up to `size`. */
  prefix: string | Uint8Array;
  size: number;
  /** Transfer-Encoding: chunked (no length declared), or a Content-Length of `size`. */
  chunked: boolean;
};

/**
 * Sends a request with a body of `size` bytes over a socket, written as fast as the server takes it
 * and stopped as soon as it answers.
 */
export async function sendStreaming(port: number, request: StreamedRequest, signal: AbortSignal): Promise<RawAnswer> {
  const { size, chunked } = request;
  const head = [
    `${request.method} ${request.path} HTTP/1.1`,
    `Host: 127.0.0.1:${port}`,
    ...Object.entries(request.headers).map(([name, value]) => `${name}: ${value}`),
    chunked ? "Transfer-Encoding: chunked" : `Content-Length: ${size}`,
    "",
    "",
  ].join("\r\n");
  const socket = net.connect(port, "127.0.0.1");
  let answered = false;
  const answer = readAnswer(socket, signal).finally(() => (answered = true));
  answer.catch(() => undefined); // observed below; this only keeps an early failure from being "unhandled"
  socket.write(head);
  const prefix = Buffer.from(request.prefix);
  let sent = 0;
  while (sent < size && !answered && !socket.destroyed) {
    const piece = sent === 0 && prefix.length > 0 ? prefix : FILLER.subarray(0, Math.min(FILLER.length, size - sent));
    sent += piece.length;
    const framed = chunked ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from("\r\n")]) : piece;
    if (!socket.write(framed)) {
      await Promise.race([new Promise((resolve) => socket.once("drain", resolve)), answer.catch(() => undefined)]);
    }
  }
  if (!answered && chunked && !socket.destroyed) socket.write("0\r\n\r\n");
  return answer;
}
