import { Text, View } from '@tarojs/components';
import type { ReactNode } from 'react';
import { displayMessage, type ApiError } from '../../client/api-error';
import type { PagedState } from '../../client/hooks';
import { Button } from '../nut/button';

/** Loading, error and empty states: one look for every list and detail page. */
export function LoadingState({ text = '加载中…' }: { text?: string }) {
  return (
    <View className="state state-loading center muted" aria-busy="true">
      <Text>{text}</Text>
    </View>
  );
}

export interface ErrorStateProps {
  error: ApiError;
  onRetry?: () => void;
  /** id of the retry button. @default 'retry' */
  retryId?: string;
}

export function ErrorState({ error, onRetry, retryId = 'retry' }: ErrorStateProps) {
  return (
    <View className="state state-error center section" role="alert">
      <View className="danger-text">{displayMessage(error)}</View>
      {onRetry && (
        <Button id={retryId} className="tap" fill="outline" onClick={onRetry}>
          重试
        </Button>
      )}
    </View>
  );
}

export function EmptyState({ text, children }: { text: string; children?: ReactNode }) {
  return (
    <View className="state state-empty center section">
      <View className="muted empty-text">{text}</View>
      {children}
    </View>
  );
}

export interface ListFooterProps {
  /** A list from `usePaged`. */
  list: Pick<PagedState<unknown>, 'error' | 'hasMore' | 'loading' | 'loadMore'>;
  /** Prefix of the buttons' ids: `<prefix>-more`, `<prefix>-retry`. */
  idPrefix: string;
}

/** The end of every paged list: a failed page with retry, then 加载更多 or 没有更多了. */
export function ListFooter({ list, idPrefix }: ListFooterProps) {
  return (
    <>
      {list.error && <ErrorState error={list.error} onRetry={() => void list.loadMore()} retryId={`${idPrefix}-retry`} />}
      {list.hasMore ? (
        <Button id={`${idPrefix}-more`} block loading={list.loading} onClick={() => void list.loadMore()}>
          加载更多
        </Button>
      ) : (
        <View className="hint center">没有更多了</View>
      )}
    </>
  );
}
