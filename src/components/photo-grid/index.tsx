import Taro from '@tarojs/taro';
import { Image, View } from '@tarojs/components';
import { FOCUSABLE } from '../focusable';

/** Photos of a suggestion; tap one to see it full screen. */
export function PhotoGrid({ urls, id = 'photos' }: { urls: string[]; id?: string }) {
  if (urls.length === 0) return null;
  return (
    <View id={id} className="photo-grid">
      {urls.map((url, i) => (
        <View key={url} className="photo-cell" role="button" ariaLabel={`查看照片 ${i + 1}`} {...FOCUSABLE} onClick={() => void Taro.previewImage({ urls, current: url })}>
          <Image className="photo-img" src={url} mode="aspectFill" ariaLabel={`照片 ${i + 1}`} nativeProps={{ alt: `照片 ${i + 1}` }} />
        </View>
      ))}
    </View>
  );
}
