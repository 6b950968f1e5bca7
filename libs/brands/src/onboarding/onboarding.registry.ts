import { Injectable } from '@nestjs/common';
import { RequestContext } from '@caredesk/core';

/**
 * One step of a brand's onboarding checklist. Each bounded context contributes its own steps
 * (channels: "a channel is connected"; identity: "stakeholders invited"; later style guides, routing,
 * SLA, reports) by registering a provider in its module's `onModuleInit`, so brands need not know
 * the other contexts' tables.
 */
export interface OnboardingStepProvider {
  /** Stable key, e.g. `CHANNELS_CONNECTED`. */
  key: string;
  title: string;
  /** Sort order in the checklist. */
  order: number;
  /** Whether the step is done for each of the given brands (ids the caller may see). */
  isDone(ctx: RequestContext, brandIds: string[]): Promise<Map<string, boolean>>;
}

@Injectable()
export class OnboardingRegistry {
  private readonly providers = new Map<string, OnboardingStepProvider>();

  register(provider: OnboardingStepProvider): void {
    if (this.providers.has(provider.key)) throw new Error(`Onboarding step ${provider.key} registered twice`);
    this.providers.set(provider.key, provider);
  }

  steps(): OnboardingStepProvider[] {
    return [...this.providers.values()].sort((a, b) => a.order - b.order);
  }
}
