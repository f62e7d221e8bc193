import { Image, View } from '@tarojs/components';
import { Button } from '../nut/button';
import { Progress } from '../nut/progress';
import type { PhotoItem } from './use-photo-uploads';

export { usePhotoUploads } from './use-photo-uploads';

export interface PhotoPickerProps {
  items: PhotoItem[];
  max: number;
  onAdd: () => void;
  onRemove: (key: number) => void;
  onRetry: (key: number) => void;
  /** Prefix of element ids. @default 'photo' */
  idPrefix?: string;
}

const statusText = (it: PhotoItem): string => {
  if (it.status === 'compressing') return '正在压缩…';
  if (it.status === 'uploading') return `上传中 ${it.progress}%`;
  if (it.status === 'done') return '已上传';
  return it.error ?? '上传失败';
};

/** Thumbnails with per-photo progress, remove and retry; an add button while there is room. */
export function PhotoPicker({ items, max, onAdd, onRemove, onRetry, idPrefix = 'photo' }: PhotoPickerProps) {
  return (
    <View className="photo-picker">
      <View className="photo-grid">
        {items.map((it, i) => (
          <View key={it.key} id={`${idPrefix}-${i}`} className={`photo-item photo-${it.status}`}>
            <View className="photo-cell">
              <Image className="photo-img" src={it.preview} mode="aspectFill" ariaLabel={`照片 ${i + 1}`} nativeProps={{ alt: `照片 ${i + 1}` }} />
            </View>
            {it.status === 'uploading' && <Progress percent={it.progress} showText={false} />}
            <View id={`${idPrefix}-status-${i}`} className={it.status === 'failed' ? 'field-error' : 'meta'}>
              {statusText(it)}
            </View>
            {it.status === 'failed' && (
              <Button id={`${idPrefix}-retry-${i}`} size="small" className="photo-remove" onClick={() => onRetry(it.key)}>
                重试
              </Button>
            )}
            <Button id={`${idPrefix}-remove-${i}`} size="small" className="photo-remove" onClick={() => onRemove(it.key)}>
              删除
            </Button>
          </View>
        ))}
      </View>
      {items.length < max && (
        <Button id={`${idPrefix}-add`} className="tap" block onClick={onAdd}>
          添加照片（{items.length}/{max}）
        </Button>
      )}
    </View>
  );
}
