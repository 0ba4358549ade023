import { unstableSetRender } from 'antd';
import { createRoot, type Root } from 'react-dom/client';
import { App } from './App';

// antd 5 on React 19: give its static helpers (Modal.confirm …) a renderer.
unstableSetRender((node, container) => {
  const c = container as Element & { _linkageRoot?: Root };
  c._linkageRoot ??= createRoot(container);
  c._linkageRoot.render(node);
  return async () => {
    await new Promise((r) => setTimeout(r, 0));
    c._linkageRoot?.unmount();
    delete c._linkageRoot;
  };
});

createRoot(document.getElementById('root')!).render(<App />);
