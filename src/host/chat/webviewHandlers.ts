// What the host does for each message the chat webview sends, keyed by the protocol's message type: a message type
// added to the protocol without a handler here fails the build.
import type { MessageHandlers } from '../../shared/messageHandlers';
import type { WebviewMessage } from '../../shared/protocol';
import type { ChatController } from './chatController';
import { copyToClipboard, insertIntoEditor, openLink } from './editorActions';

/** The handlers of validated webview messages; each resolves when the host is done with its message. */
export type WebviewHandlers = MessageHandlers<WebviewMessage, Promise<void> | void>;

/** What the handlers need of the view itself. */
export interface ChatViewActions {
  /** Sends the full state to a webview that just loaded, then what waited for it. */
  connect(): Promise<void>;
  attach(kind: 'selection' | 'file'): Promise<void>;
  export(conversationId: string | undefined, format: 'markdown' | 'haystack'): Promise<void>;
  /** Shows a problem (when there is one) as a notice in the panel. */
  noticeIfProblem(problem: string | undefined): void;
}

export function webviewHandlers(controller: ChatController, view: ChatViewActions): WebviewHandlers {
  return {
    ready: () => view.connect(),
    send: (m) => controller.send(m.requestId, m.conversationId, m.generator, m),
    compare: (m) => controller.compare(m.requestId, m.conversationId, m.generators, m),
    pickCompared: (m) => controller.pickCompared(m.conversationId, m.requestId, m.laneId),
    stop: (m) => controller.stop(m.requestId),
    retry: (m) => controller.retry(m.requestId, m.conversationId),
    editLast: (m) => controller.editLast(m.requestId, m.conversationId, m.text),
    newChat: () => controller.newChat(),
    openConversation: (m) => controller.open(m.conversationId),
    deleteConversation: (m) => controller.delete(m.conversationId),
    setGenerator: (m) => controller.setGenerator(m.conversationId, m.generator),
    updateSettings: (m) => controller.updateSettings(m.conversationId, m.settings),
    requestAttachment: (m) => view.attach(m.kind),
    copy: (m) => copyToClipboard(m.text),
    insertCode: async (m) => view.noticeIfProblem(await insertIntoEditor(m.code, m.mode)),
    openLink: async (m) => view.noticeIfProblem(await openLink(m.href)),
    export: (m) => view.export(m.conversationId, m.format),
  };
}
