// Per-component NutUI import (JS + precompiled CSS) so only what we use is bundled.
import '@nutui/nutui-react-taro/dist/es/packages/dialog/style/css';

export { default as Dialog } from '@nutui/nutui-react-taro/dist/es/packages/dialog';
