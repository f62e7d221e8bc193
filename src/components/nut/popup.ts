// Per-component NutUI import (JS + precompiled CSS) so only what we use is bundled.
import '@nutui/nutui-react-taro/dist/es/packages/popup/style/css';

export { default as Popup } from '@nutui/nutui-react-taro/dist/es/packages/popup';
