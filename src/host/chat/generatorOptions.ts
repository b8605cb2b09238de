// The generators the chat panel offers: chat ones, and text ones through their prompt form.
import type { Generator } from '../../core/generator';
import type { GeneratorOption } from '../../shared/protocol';
import type { GeneratorRegistryService } from '../registry/registryService';

type Registry = Pick<GeneratorRegistryService, 'list' | 'get' | 'defaultName'>;

/** The picker's entries; an entry that cannot be built is listed with its error (the picker shows it disabled). */
export function generatorOptions(registry: Registry): GeneratorOption[] {
  return registry
    .list()
    .filter((entry) => entry.kind === 'chat' || entry.kind === 'text')
    .map((entry) => {
      const option: GeneratorOption = { name: entry.name, kind: entry.kind, acceptsImages: false };
      if (entry.model) option.model = entry.model;
      if (entry.error) option.error = entry.error;
      else option.acceptsImages = acceptsImages(registry, entry.name);
      return option;
    });
}

/** Whether `name` is still a generator the panel offers: settings can remove, rename or break it after a conversation chose it. */
export function isUsable(registry: Registry, name: string | undefined): name is string {
  return name !== undefined && generatorOptions(registry).some((option) => option.name === name && !option.error);
}

/** The configured default chat generator, else the first usable chat one, else the first usable one. */
export function defaultGenerator(registry: Registry): string | undefined {
  const options = generatorOptions(registry).filter((o) => !o.error);
  return registry.defaultName('chat') ?? options.find((o) => o.kind === 'chat')?.name ?? options[0]?.name;
}

function acceptsImages(registry: Registry, name: string): boolean {
  try {
    const generator: Generator = registry.get(name);
    return generator.kind === 'chat' && generator.acceptsImages === true;
  } catch {
    return false;
  }
}
