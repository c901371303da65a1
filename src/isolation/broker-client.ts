import { connect, type Socket } from 'node:net';
import { TimescaleTestkitError } from '../errors/index.js';
import { type BrokerAddress, type BrokerRequest, type BrokerResponse, onLines } from './clone-broker.js';

type Pending = { resolve: (response: BrokerResponse) => void; reject: (error: Error) => void };

/**
 * A worker's line to its run's {@link CloneBroker}: one loopback socket per process (and
 * worker thread), opened on first use, holding the process open only while a request waits.
 */
class BrokerClient {
  readonly #pending = new Map<number, Pending>();
  #socket: Socket | undefined;
  #next = 1;

  constructor(private readonly address: BrokerAddress) {}

  async claim(): Promise<string> {
    const { name } = await this.#request({ op: 'claim' });
    if (typeof name !== 'string') throw this.#gone('it answered a claim without a database');
    return name;
  }

  async release(name: string, keep: boolean): Promise<void> {
    await this.#request({ op: 'release', name, keep });
  }

  /** The catalog rows another worker of the run kept under `key`, if any. */
  async catalog(key: string): Promise<unknown[] | undefined> {
    const { rows } = await this.#request({ op: 'catalog', name: key });
    return Array.isArray(rows) ? rows : undefined;
  }

  /** Keeps catalog rows under `key` for the run's other workers. */
  async keepCatalog(key: string, rows: unknown[]): Promise<void> {
    await this.#request({ op: 'catalog', name: key, rows });
  }

  #gone(why: string): TimescaleTestkitError {
    const { host, port } = this.address;
    return new TimescaleTestkitError(
      'BROKER_GONE',
      `The run's clone broker at ${host}:${port} (in the test runner's main process) ${why}. ` +
        'The main process ended or is ending: the run is over.',
    );
  }

  #open(): Socket {
    if (this.#socket && !this.#socket.destroyed) return this.#socket;
    const socket = connect({ host: this.address.host, port: this.address.port });
    onLines(socket, (line) => this.#settle(JSON.parse(line) as BrokerResponse));
    const fail = (why: string) => {
      for (const { reject } of this.#pending.values()) reject(this.#gone(why));
      this.#pending.clear();
    };
    socket.on('error', (error) => fail(`cannot be reached (${error.message})`));
    socket.on('close', () => fail('closed the connection'));
    this.#socket = socket;
    return socket;
  }

  #settle(response: BrokerResponse): void {
    const pending = this.#pending.get(response.id);
    if (!pending) return;
    this.#pending.delete(response.id);
    if (this.#pending.size === 0) this.#socket?.unref();
    if (response.error) pending.reject(new TimescaleTestkitError('BROKER_REFUSED', response.error));
    else pending.resolve(response);
  }

  #request(body: Omit<BrokerRequest, 'id' | 'token'>): Promise<BrokerResponse> {
    const socket = this.#open();
    const id = this.#next++;
    const request: BrokerRequest = { id, token: this.address.token, ...body };
    return new Promise<BrokerResponse>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      socket.ref();
      socket.write(`${JSON.stringify(request)}\n`);
    });
  }
}

const clients = new Map<string, BrokerClient>();

/**
 * This process's client of the broker at `address`. Keyed by the token too: in a process that
 * starts brokers one after another, a later one may listen on a port an earlier one used, and
 * the earlier one's client would send the earlier token.
 */
export function brokerClient(address: BrokerAddress): BrokerClient {
  const key = `${address.host}:${address.port}:${address.token}`;
  let client = clients.get(key);
  if (!client) {
    client = new BrokerClient(address);
    clients.set(key, client);
  }
  return client;
}
