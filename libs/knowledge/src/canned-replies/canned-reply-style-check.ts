import { Injectable } from '@nestjs/common';
import { AppError, ErrorCode, RequestContext } from '@caredesk/core';
import type { Brand } from '@caredesk/brands';
import { StyleGuideCheckService } from '@caredesk/style-guides';
import { renderTemplate, TemplateValues } from '../templates/template';

/** Stand-ins for the variables while checking, so rules see a realistic reply (a greeting with a name). */
export function sampleValues(brand: Pick<Brand, 'name'>): TemplateValues {
  return {
    'contact.firstName': 'Alex',
    'contact.name': 'Alex Morgan',
    'agent.firstName': 'Sam',
    'agent.name': 'Sam Taylor',
    'brand.name': brand.name,
  };
}

/**
 * "A canned reply that breaks its brand's style guide can't be saved" (issue 4): each variant goes
 * through the style-guides context's check twice, rendered with sample values and with every
 * variable missing (each placeholder's fallback, or nothing), since a fallback is text a customer
 * reads too ({{contact.firstName | "cheap friend"}}). A BLOCK violation
 * refuses the save with STYLE_GUIDE_VIOLATION; the error carries the variant's language, the text
 * that was checked (violation spans are offsets into it) and the violations. WARNs do not stop a save.
 */
@Injectable()
export class CannedReplyStyleCheck {
  constructor(private readonly styleGuides: StyleGuideCheckService) {}

  /** `brand`: one the caller was already proven to see (BrandAccessService.requireOne). */
  async assertClean(
    ctx: RequestContext,
    brand: Pick<Brand, 'id' | 'name'>,
    variants: ReadonlyArray<{ language: string; body: string }>,
  ): Promise<void> {
    const values = sampleValues(brand);
    for (const v of variants) {
      const renderings = [
        { body: renderTemplate(v.body, values), contactName: values['contact.name'] ?? null },
        { body: renderTemplate(v.body, {}), contactName: null },
      ];
      for (const [i, { body: checkedBody, contactName }] of renderings.entries()) {
        if (i > 0 && checkedBody === renderings[0].body) continue; // no variables: checked once
        const result = await this.styleGuides.checkVisibleBrand(ctx, brand.id, {
          body: checkedBody,
          language: v.language,
          contactName,
        });
        if (!result.blocked) continue;
        throw new AppError(
          ErrorCode.STYLE_GUIDE_VIOLATION,
          `The ${v.language} variant breaks the brand's style guide`,
          { field: 'variants', language: v.language, checkedBody, violations: result.violations },
        );
      }
    }
  }
}
