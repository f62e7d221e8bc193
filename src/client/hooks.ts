/** The one place that handles loading, errors and the expired-session redirect for every call. */
import Taro from '@tarojs/taro';
import { useCallback, useEffect, useRef, useState, type DependencyList } from 'react';
import { ApiError, displayMessage, toApiError } from './api-error';
import { setSession } from './session';
import { transport } from './transport';

let redirecting = false;

/** AUTH.UNAUTHENTICATED → forget the token and go to sign-in (H5); other errors pass through. */
const handleError = (e: unknown): ApiError => {
  const err = toApiError(e);
  if (err.code === 'AUTH.UNAUTHENTICATED' && transport.signInPage && !redirecting) {
    redirecting = true;
    setSession(null);
    void Taro.reLaunch({ url: transport.signInPage }).finally(() => {
      redirecting = false;
    });
  }
  return err;
};

const toastError = (err: ApiError): void => {
  void Taro.showToast({ title: displayMessage(err), icon: 'none', duration: 2500 });
};

const useMounted = () => {
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  return mounted;
};

export interface QueryState<T> {
  data: T | undefined;
  loading: boolean;
  error: ApiError | null;
  /** Runs the query again (e.g. a retry button or pull-down refresh). */
  run: () => Promise<T | undefined>;
  setData: (data: T) => void;
}

/** Reads on mount and whenever `deps` change; errors are shown by the page (see ErrorState). */
export function useQuery<T>(fn: () => Promise<T>, deps: DependencyList, opts: { enabled?: boolean } = {}): QueryState<T> {
  const enabled = opts.enabled ?? true;
  const [data, setData] = useState<T | undefined>(undefined);
  const [loading, setLoading] = useState(enabled);
  const [error, setError] = useState<ApiError | null>(null);
  const seq = useRef(0);
  const mounted = useMounted();
  const fnRef = useRef(fn);
  fnRef.current = fn;

  const run = useCallback(async () => {
    const mine = ++seq.current;
    setLoading(true);
    setError(null);
    try {
      const d = await fnRef.current();
      if (mounted.current && mine === seq.current) {
        setData(d);
        setLoading(false);
      }
      return d;
    } catch (e) {
      const err = handleError(e);
      if (mounted.current && mine === seq.current) {
        setError(err);
        setLoading(false);
      }
      return undefined;
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);

  useEffect(() => {
    if (enabled) void run();
    else setLoading(false);
  }, [run, enabled]);

  return { data, loading, error, run, setData };
}

export interface ActionState<A extends unknown[], T> {
  data: T | undefined;
  loading: boolean;
  error: ApiError | null;
  /** Resolves with the result, or undefined after a failure (already toasted). */
  run: (...args: A) => Promise<T | undefined>;
  reset: () => void;
}

/**
 * A write. While one call is in flight, further `run`s join it instead of sending again, so a
 * double tap sends once. Failures show a toast with the Chinese message.
 */
export function useAction<A extends unknown[], T>(
  fn: (...args: A) => Promise<T>,
  opts: { successToast?: string; silent?: boolean } = {},
): ActionState<A, T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const inflight = useRef<Promise<T | undefined> | null>(null);
  const mounted = useMounted();
  const fnRef = useRef(fn);
  fnRef.current = fn;
  const optsRef = useRef(opts);
  optsRef.current = opts;

  const run = useCallback((...args: A) => {
    if (inflight.current) return inflight.current;
    setLoading(true);
    setError(null);
    const p = (async () => {
      try {
        const d = await fnRef.current(...args);
        if (mounted.current) setData(d);
        if (optsRef.current.successToast) void Taro.showToast({ title: optsRef.current.successToast, icon: 'success' });
        return d;
      } catch (e) {
        const err = handleError(e);
        if (mounted.current) setError(err);
        if (!optsRef.current.silent && err.code !== 'AUTH.UNAUTHENTICATED') toastError(err);
        return undefined;
      } finally {
        inflight.current = null;
        if (mounted.current) setLoading(false);
      }
    })();
    inflight.current = p;
    return p;
  }, [mounted]);

  const reset = useCallback(() => {
    setData(undefined);
    setError(null);
  }, []);

  return { data, loading, error, run, reset };
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PagedState<T> {
  items: T[];
  loading: boolean;
  /** True after the first page arrived (distinguishes “empty” from “not loaded yet”). */
  loaded: boolean;
  error: ApiError | null;
  hasMore: boolean;
  loadMore: () => Promise<void>;
  reload: () => Promise<void>;
}

/** The one list pattern: cursor pages, load more at the bottom, reload on pull-down or filter change. */
export function usePaged<T>(fetchPage: (cursor: string | null) => Promise<Page<T>>, deps: DependencyList): PagedState<T> {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [loading, setLoading] = useState(true);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const gen = useRef(0);
  const busy = useRef(false);
  const mounted = useMounted();
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;

  const load = useCallback(async (from: string | null, replace: boolean) => {
    const mine = replace ? ++gen.current : gen.current;
    busy.current = true;
    setLoading(true);
    setError(null);
    try {
      const page = await fetchRef.current(from);
      if (!mounted.current || mine !== gen.current) return;
      setItems((prev) => (replace ? page.items : [...prev, ...page.items]));
      setCursor(page.nextCursor);
      setHasMore(page.nextCursor !== null);
      setLoaded(true);
    } catch (e) {
      const err = handleError(e);
      if (mounted.current && mine === gen.current) setError(err);
    } finally {
      if (mine === gen.current) {
        busy.current = false;
        if (mounted.current) setLoading(false);
      }
    }
  }, [mounted]);

  const reload = useCallback(() => load(null, true), [load]);
  const loadMore = useCallback(async () => {
    if (busy.current || !hasMore) return;
    await load(cursor, false);
  }, [load, cursor, hasMore]);

  useEffect(() => {
    void reload();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);

  return { items, loading, loaded, error, hasMore, loadMore, reload };
}
