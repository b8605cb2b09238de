import { fixedCapabilities, type GeneratorDescriptor } from '../../core/descriptor';
import {
  mergeGenerationKwargs,
  type TextGenerator,
  type TextGeneratorResult,
  type TextRunOptions,
} from '../../core/generator';
import type { Secret } from '../../core/secret';
import {
  readInitParameters,
  selectStreamingCallback,
  type CallbackReference,
  type ComponentDict,
} from '../../core/serialization';
import {
  generateLocally,
  loadLocalModel,
  localGeneratorToDict,
  readLocalGeneratorInitOptions,
  resolveLocalGeneratorSettings,
  type LocalGeneratorInitOptions,
} from './huggingFaceLocalGeneration';
import { resolveToken } from './huggingFaceLocalPipeline';
import { LOCAL_STRUCTURED_OUTPUT_REASON } from './huggingFaceLocalChatGenerator';
import { holdLocalModelWorker, releaseLocalModelWorker } from './localModels';

/** Init options of {@link HuggingFaceLocalGenerator}, after Haystack's `HuggingFaceLocalGenerator.__init__`. */
export interface HuggingFaceLocalGeneratorOptions extends LocalGeneratorInitOptions {
  /** `max_new_tokens` (default 512), `temperature`, `top_k`, `top_p`, `do_sample`, `return_full_text`, ... */
  generationKwargs?: Record<string, unknown>;
  /** Generation stops at the first of these; it is cut from the reply. */
  stopWords?: string[] | null;
  streamingCallback?: CallbackReference;
}

/**
 * Generates text with a Hugging Face model run locally by transformers.js in the shared local-model worker
 * process (Haystack's `HuggingFaceLocalGenerator`).
 */
export class HuggingFaceLocalGenerator implements TextGenerator {
  static readonly typeName = 'haystack.components.generators.hugging_face_local.HuggingFaceLocalGenerator';
  static readonly kind = 'text';
  readonly typeName = HuggingFaceLocalGenerator.typeName;
  readonly kind = 'text';

  readonly huggingfacePipelineKwargs: Record<string, unknown>;
  readonly generationKwargs: Record<string, unknown>;
  readonly stopWords: string[] | undefined;
  readonly token: Secret | undefined;
  readonly streamingCallback: CallbackReference | undefined;
  private readonly inlineToken: string | undefined;

  constructor(options: HuggingFaceLocalGeneratorOptions = {}) {
    const settings = resolveLocalGeneratorSettings(options, 'google/flan-t5-base');
    this.token = settings.token;
    this.huggingfacePipelineKwargs = settings.huggingfacePipelineKwargs;
    this.inlineToken = settings.inlineToken;
    this.generationKwargs = settings.generationKwargs;
    this.stopWords = options.stopWords ?? undefined;
    this.streamingCallback = options.streamingCallback;
  }

  /** Loads the model in the worker; infers the task from the model's config when it was not given. */
  async warmUp(): Promise<void> {
    await loadLocalModel(this, this.resolveToken());
  }

  async run(prompt: string, options: TextRunOptions = {}): Promise<TextGeneratorResult> {
    if (!prompt) return { replies: [], meta: [] };
    if (this.huggingfacePipelineKwargs.task === undefined) await this.warmUp();
    const worker = holdLocalModelWorker(this);
    const generationKwargs = mergeGenerationKwargs(this.generationKwargs, options.generationKwargs);
    const callback = selectStreamingCallback(this.streamingCallback, options.streamingCallback);
    // Haystack's local generator has no system prompt; the editor's one is put in front of the prompt.
    const fullPrompt = options.systemPrompt ? `${options.systemPrompt}\n\n${prompt}` : prompt;
    const input = { kind: 'text', prompt: fullPrompt } as const;
    const { model, replies } = await generateLocally(
      worker,
      this,
      { input, generationKwargs, stopWords: this.stopWords ?? [], callback, signal: options.signal },
      this.resolveToken(),
    );
    return {
      replies: replies.map((reply) => reply.text),
      meta: replies.map((reply, index) => ({
        model,
        index,
        finish_reason: reply.reachedMaxNewTokens ? 'length' : 'stop',
        usage: reply.usage,
      })),
    };
  }

  /** Lets the shared worker go; it stops when no other local generator holds it. */
  async shutdown(): Promise<void> {
    await releaseLocalModelWorker(this);
  }

  toDict(): ComponentDict {
    return {
      type: this.typeName,
      init_parameters: {
        ...localGeneratorToDict(this),
        stop_words: this.stopWords ?? null,
        token: this.token ? this.token.toDict() : null,
      },
    };
  }

  static fromDict(dict: unknown): HuggingFaceLocalGenerator {
    return new HuggingFaceLocalGenerator(
      readLocalGeneratorInitOptions(readInitParameters(dict, HuggingFaceLocalGenerator.typeName)),
    );
  }

  private resolveToken(): string | undefined {
    return resolveToken(this.token, this.inlineToken);
  }
}

export const huggingFaceLocalGeneratorDescriptor: GeneratorDescriptor = {
  typeName: HuggingFaceLocalGenerator.typeName,
  kind: 'text',
  label: 'Local Hugging Face text (runs on this machine)',
  fromDict: (dict) => HuggingFaceLocalGenerator.fromDict(dict),
  secretEnvVars: [],
  defaultModel: 'google/flan-t5-base',
  pythonPackages: ['transformers[torch]'],
  wizardFields: [{ path: 'model', prompt: 'Model id or local folder', defaultValue: 'google/flan-t5-base' }],
  capabilities: fixedCapabilities({
    imageInput: false,
    toolCalling: false,
    structuredOutput: { supported: false, reason: LOCAL_STRUCTURED_OUTPUT_REASON },
    maxTokensKey: 'max_new_tokens',
    // flan-t5-base reads 512 tokens; 512 new tokens is the class's default.
    tokenLimits: { contextWindow: 512, maxOutputTokens: 512 },
  }),
};
