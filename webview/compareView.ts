// A comparison in the conversation: the replies of two to four generators side by side, each streaming on its own,
// each with its stats, and a button to continue the conversation with it.
import type { CompareLaneView, ConversationMessage } from '../src/shared/protocol';
import { h } from './dom';
import { ReplyView, type ReplyDependencies } from './replyView';
import { button, setButtonDisabled } from './toolkit';

export class CompareView {
  readonly element: HTMLElement;
  /** Each lane's reply view, by lane id (the id its chunks and end arrive with). */
  readonly replies = new Map<string, ReplyView>();
  private readonly pickButtons = new Map<string, HTMLElement>();

  constructor(
    readonly requestId: string,
    lanes: readonly CompareLaneView[],
    deps: ReplyDependencies,
    pick: (laneId: string) => void,
  ) {
    this.element = h('div', {
      class: 'compare',
      role: 'group',
      'aria-label': `Comparison of ${lanes.length} generators`,
    });
    for (const lane of lanes) {
      const reply = new ReplyView(lane.reply, deps);
      const pickButton = button({
        label: `Continue with "${lane.generator}"`,
        text: 'Continue with this',
        appearance: 'primary',
        onClick: () => pick(lane.laneId),
      });
      this.replies.set(lane.laneId, reply);
      this.pickButtons.set(lane.laneId, pickButton);
      this.element.append(
        h(
          'section',
          { class: 'compare-lane', 'aria-label': lane.generator },
          h('header', { class: 'compare-lane-header' }, lane.generator),
          reply.element,
          pickButton,
        ),
      );
      this.laneEnded(lane.laneId, lane.reply);
    }
  }

  /** A lane may be picked once it ended with something to continue from. */
  laneEnded(laneId: string, message: ConversationMessage): void {
    const pickButton = this.pickButtons.get(laneId);
    if (pickButton)
      setButtonDisabled(
        pickButton,
        message.status === 'streaming' || message.status === 'error' || message.text === '',
      );
  }
}
