import { isLoopback } from './loopback';

describe('isLoopback', () => {
  it('recognises addresses of this machine', () => {
    expect(['127.0.0.1:9092', 'localhost:9092', '[::1]:9092', '0.0.0.0:1'].every(isLoopback)).toBe(true);
    expect(['b-1.kafka.us-east-1.amazonaws.com:9098', '10.0.0.7:9092'].some(isLoopback)).toBe(false);
  });

  it('reads loopback of any case, with or without a port or brackets', () => {
    expect(['LOCALHOST', '127.5.5.5', '[::1]'].every(isLoopback)).toBe(true);
    expect(['[fe80::1]:9092', '128.0.0.1', 'localhost.example.com:1'].some(isLoopback)).toBe(false);
  });
});
