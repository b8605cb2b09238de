// Conversations on disk: one JSON file per conversation in the extension's global storage, in the versioned shape
// of conversationFile.ts. Plain Node (no `vscode`), so the unit tests run it against a temp directory.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Conversation, ConversationSummary } from '../../../shared/protocol';
import { conversationFromFile, conversationToFile, NewerConversationFileError } from './conversationFile';

/** Told when a conversation file could not be read and was moved aside. */
export type CorruptFileReporter = (info: { file: string; movedTo: string; reason: string }) => void;

/** Told when a conversation file was left where it is, unread (a newer version of the extension wrote it). */
export type SkippedFileReporter = (info: { file: string; reason: string }) => void;

const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Writes go to a temp file in the same directory, are flushed, then renamed over the old file: a crash mid-write
 * leaves either the old or the new conversation, never a torn one. Writes to one conversation are serialized so
 * a slow earlier write cannot land after a later one.
 */
export class ConversationStore {
  private readonly writes = new Map<string, Promise<void>>();
  private prepared?: Promise<void>;

  constructor(
    private readonly directory: string,
    private readonly reportCorrupt: CorruptFileReporter,
    private readonly reportSkipped: SkippedFileReporter = () => {},
  ) {}

  async list(): Promise<ConversationSummary[]> {
    await this.prepare();
    const summaries: ConversationSummary[] = [];
    for (const name of await readdir(this.directory)) {
      const id = name.endsWith('.json') ? name.slice(0, -'.json'.length) : '';
      if (!ID_PATTERN.test(id)) continue;
      const conversation = await this.load(id);
      if (conversation)
        summaries.push({
          id,
          title: conversation.title,
          updatedAt: conversation.updatedAt,
          messageCount: conversation.messages.length,
        });
    }
    return summaries.sort((a, b) => b.updatedAt - a.updatedAt);
  }

  /**
   * The conversation, or undefined when there is none, when it was corrupt (it has been moved aside), or when a newer
   * version of the extension wrote it (it stays where it is, untouched).
   */
  async load(id: string): Promise<Conversation | undefined> {
    await this.prepare();
    const file = this.fileFor(id);
    await this.writes.get(id);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      return conversationFromFile(JSON.parse(text), id);
    } catch (error) {
      if (error instanceof NewerConversationFileError) {
        this.reportSkipped({ file, reason: error.message });
        return undefined;
      }
      const movedTo = `${file}.corrupt-${Date.now()}`;
      await rename(file, movedTo);
      this.reportCorrupt({ file, movedTo, reason: error instanceof Error ? error.message : String(error) });
      return undefined;
    }
  }

  save(conversation: Conversation): Promise<void> {
    const text = JSON.stringify(conversationToFile(conversation));
    const previous = this.writes.get(conversation.id) ?? Promise.resolve();
    const write = previous.then(() => this.writeAtomically(conversation.id, text));
    const settled = write.catch(() => undefined);
    this.writes.set(conversation.id, settled);
    void settled.then(() => {
      if (this.writes.get(conversation.id) === settled) this.writes.delete(conversation.id);
    });
    return write;
  }

  /** Resolves when every write started so far has finished (before deactivation completes). */
  async idle(): Promise<void> {
    while (this.writes.size > 0) await Promise.all(this.writes.values());
  }

  async delete(id: string): Promise<void> {
    await this.prepare();
    await this.writes.get(id);
    await rm(this.fileFor(id), { force: true });
  }

  private async writeAtomically(id: string, text: string): Promise<void> {
    await this.prepare();
    const file = this.fileFor(id);
    const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(temp, file);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  /** Creates the directory and removes temp files a crashed write left behind. */
  private prepare(): Promise<void> {
    this.prepared ??= (async () => {
      await mkdir(this.directory, { recursive: true });
      for (const name of await readdir(this.directory)) {
        if (name.endsWith('.tmp')) await rm(join(this.directory, name), { force: true });
      }
    })();
    return this.prepared;
  }

  private fileFor(id: string): string {
    if (!ID_PATTERN.test(id)) throw new Error(`Invalid conversation id ${JSON.stringify(id.slice(0, 80))}.`);
    return join(this.directory, `${id}.json`);
  }
}
