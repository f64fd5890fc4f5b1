import * as vscode from 'vscode';

type State = 'indexing' | 'ready' | 'error';

const LOOK: Record<State, { icon: string; text: string }> = {
  indexing: { icon: '$(sync~spin)', text: 'Stable Lens: indexing' },
  ready: { icon: '$(database)', text: 'Stable Lens' },
  error: { icon: '$(error)', text: 'Stable Lens: error' },
};

/** The status bar item: indexing, ready or error; a click shows the output channel. */
export class StatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('stableLens.status', vscode.StatusBarAlignment.Left, 10);

  constructor(command: string) {
    this.item.name = 'Stable Lens';
    this.item.command = command;
    this.item.show();
  }

  set(state: State, message?: string): void {
    const look = LOOK[state];
    this.item.text = `${look.icon} ${look.text}`;
    this.item.tooltip = message ?? (state === 'ready' ? 'Stable Lens is ready. Click to show its output.' : look.text);
    this.item.backgroundColor = state === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  }

  dispose(): void {
    this.item.dispose();
  }
}
