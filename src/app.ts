import Taro, { useLaunch } from '@tarojs/taro';
import type { PropsWithChildren } from 'react';
import './app.scss';

function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    if (process.env.TARO_ENV === 'weapp') {
      Taro.cloud.init({ env: CLOUD_ENV || undefined, traceUser: true });
    }
  });
  // children are the pages
  return children;
}

export default App;
