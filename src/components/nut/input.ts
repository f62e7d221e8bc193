// Per-component NutUI import (JS + precompiled CSS) so only what we use is bundled.
import '@nutui/nutui-react-taro/dist/es/packages/input/style/css';

export { default as Input } from '@nutui/nutui-react-taro/dist/es/packages/input';
