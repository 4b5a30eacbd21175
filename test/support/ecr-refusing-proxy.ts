// An AWS API endpoint that refuses ECR as LocalStack's free image does (HTTP 501, its message) and
// passes every other call on to moto: what `sls remove` meets against LocalStack 4.14.0.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** LocalStack's answer, as its free image gives it for a service outside its plan. */
export const LOCALSTACK_ECR_REFUSAL = {
  status: 501,
  body: {
    __type: 'InternalFailure',
    message: "The API for service 'ecr' is either not included in your current license plan or has not yet been emulated by LocalStack.",
  },
};

export class EcrRefusingProxy {
  private server: http.Server | undefined;
  endpoint = '';
  /** The ECR operations it refused, by X-Amz-Target. */
  readonly refused: string[] = [];

  constructor(private readonly upstream: string) {}

  async start(): Promise<void> {
    const target = new URL(this.upstream);
    this.server = http.createServer((request, response) => {
      const operation = String(request.headers['x-amz-target'] ?? '');
      if (operation.startsWith('AmazonEC2ContainerRegistry')) {
        this.refused.push(operation);
        request.resume();
        response.writeHead(LOCALSTACK_ECR_REFUSAL.status, { 'content-type': 'application/x-amz-json-1.1' });
        response.end(JSON.stringify(LOCALSTACK_ECR_REFUSAL.body));
        return;
      }
      const forwarded = http.request(
        { host: target.hostname, port: target.port, method: request.method, path: request.url, headers: request.headers },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        },
      );
      forwarded.on('error', (error) => response.destroy(error));
      request.pipe(forwarded);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.endpoint = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }
}
