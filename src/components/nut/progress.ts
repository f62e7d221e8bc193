// Per-component NutUI import (JS + precompiled CSS) so only what we use is bundled.
import '@nutui/nutui-react-taro/dist/es/packages/progress/style/css';

export { default as Progress } from '@nutui/nutui-react-taro/dist/es/packages/progress';
