// VS Code's language model part classes to and from the plain parts the conversion code works on.
import * as vscode from 'vscode';
import type { LmInputPart, LmMessage, LmResponsePart, LmToolResultContent } from './lmParts';

/** A request message in plain form. Parts of kinds this provider does not know (thinking parts) carry nothing for it. */
export function fromVscodeMessage(message: vscode.LanguageModelChatRequestMessage): LmMessage {
  const content = message.content.flatMap((part) => {
    const plain = inputPart(part);
    return plain ? [plain] : [];
  });
  return { role: message.role, content, ...(message.name ? { name: message.name } : {}) };
}

export function toVscodePart(part: LmResponsePart): vscode.LanguageModelResponsePart {
  return part.kind === 'text'
    ? new vscode.LanguageModelTextPart(part.text)
    : new vscode.LanguageModelToolCallPart(part.callId, part.name, part.input);
}

function inputPart(part: unknown): LmInputPart | undefined {
  if (part instanceof vscode.LanguageModelTextPart) return { kind: 'text', text: part.value };
  if (part instanceof vscode.LanguageModelDataPart) return { kind: 'data', mimeType: part.mimeType, data: part.data };
  if (part instanceof vscode.LanguageModelToolCallPart)
    return { kind: 'toolCall', callId: part.callId, name: part.name, input: part.input };
  if (part instanceof vscode.LanguageModelToolResultPart)
    return { kind: 'toolResult', callId: part.callId, content: part.content.map(toolResultContent) };
  return undefined;
}

function toolResultContent(part: unknown): LmToolResultContent {
  if (part instanceof vscode.LanguageModelTextPart) return { kind: 'text', text: part.value };
  if (part instanceof vscode.LanguageModelDataPart) return { kind: 'data', mimeType: part.mimeType, data: part.data };
  if (part instanceof vscode.LanguageModelPromptTsxPart) return { kind: 'other', value: part.value };
  return { kind: 'other', value: part };
}
