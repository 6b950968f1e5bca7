import { AppError, ErrorCode } from '@caredesk/core';
import { LiveStream, MAX_BUFFERED_EVENTS } from './live-stream';

const double = async (n: number) => (n % 2 === 0 ? n * 10 : undefined);

describe('LiveStream', () => {
  it('sends the first payloads, then mapped events in arrival order, skipping undefined', async () => {
    const s = new LiveStream<number, number>(double);
    s.sendFirst(-1);
    [1, 2, 3, 4].forEach((n) => s.push(n));
    expect(await s.next()).toEqual({ value: -1, done: false });
    expect(await s.next()).toEqual({ value: 20, done: false });
    expect(await s.next()).toEqual({ value: 40, done: false });
  });

  it('waits for an event that has not arrived yet', async () => {
    const s = new LiveStream<number, number>(double);
    const pending = s.next();
    setTimeout(() => s.push(6), 5);
    expect(await pending).toEqual({ value: 60, done: false });
  });

  it('return() ends a waiting reader and runs the unsubscribe once', async () => {
    const s = new LiveStream<number, number>(double);
    const undo = jest.fn();
    s.onEnded(undo);
    const pending = s.next();
    await s.return();
    await s.return();
    expect(await pending).toEqual({ value: undefined, done: true });
    expect(undo).toHaveBeenCalledTimes(1);
    s.push(2);
    expect(await s.next()).toEqual({ value: undefined, done: true });
  });

  it('an unsubscribe registered after the end runs at once', () => {
    const s = new LiveStream<number, number>(double);
    void s.return();
    const undo = jest.fn();
    s.onEnded(undo);
    expect(undo).toHaveBeenCalled();
  });

  it('a reader that falls too far behind gets RATE_LIMITED and the stream ends', async () => {
    const s = new LiveStream<number, number>(double);
    const undo = jest.fn();
    s.onEnded(undo);
    for (let i = 0; i <= MAX_BUFFERED_EVENTS; i++) s.push(2);
    await expect(s.next()).rejects.toMatchObject({ code: ErrorCode.RATE_LIMITED });
    expect(undo).toHaveBeenCalled();
    expect(await s.next()).toEqual({ value: undefined, done: true });
  });

  it('events accept refuses are never buffered: a burst of them ends nothing', async () => {
    const s = new LiveStream<number, number>(double, (n) => n === 4);
    for (let i = 0; i <= MAX_BUFFERED_EVENTS * 2; i++) s.push(2);
    s.push(4);
    expect(s.isEnded).toBe(false);
    expect(await s.next()).toEqual({ value: 40, done: false });
  });

  it('a map that throws ends the stream with its error', async () => {
    const s = new LiveStream<number, number>(async () => {
      throw AppError.unauthenticated('gone');
    });
    const undo = jest.fn();
    s.onEnded(undo);
    s.push(1);
    await expect(s.next()).rejects.toMatchObject({ code: ErrorCode.UNAUTHENTICATED });
    expect(undo).toHaveBeenCalled();
  });
});
