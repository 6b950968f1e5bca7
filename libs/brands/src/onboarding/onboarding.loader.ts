import { Injectable } from '@nestjs/common';
import { PerRequestLoader, RequestContext } from '@caredesk/core';
import { OnboardingDto } from '../dto/onboarding.dto';
import { OnboardingRegistry } from './onboarding.registry';

/**
 * Builds `Brand.onboarding` for every brand of a response at once: each registered step is asked
 * once per request, for all brand ids together, instead of once per brand (PerRequestLoader: the
 * cache dies with the request and is never shared between callers).
 */
@Injectable()
export class OnboardingLoader {
  private readonly loader = new PerRequestLoader((ctx, ids) => this.compute(ctx, ids));

  constructor(private readonly registry: OnboardingRegistry) {}

  load(request: object, ctx: RequestContext, brandId: string): Promise<OnboardingDto> {
    return this.loader.load(request, ctx, brandId);
  }

  private async compute(ctx: RequestContext, brandIds: readonly string[]): Promise<OnboardingDto[]> {
    const steps = this.registry.steps();
    const results = await Promise.all(steps.map((s) => s.isDone(ctx, [...brandIds])));
    return brandIds.map((brandId) => {
      const list = steps.map((s, i) => ({
        key: s.key,
        title: s.title,
        done: results[i].get(brandId) === true,
      }));
      const completed = list.filter((s) => s.done).length;
      return { steps: list, completed, total: list.length, done: completed === list.length };
    });
  }
}
