import {
  MAX_ACTIVE_SHARE_LINKS,
  isActive,
  shareRefusal,
  type ShareLink,
} from '../../../src/domain/share-link';
import {
  createShareLink,
  openSharedPostmortem,
  revokeShareLink,
} from '../../../src/use-cases/share-postmortem';
import { linkIdOf, shareToken, shareUrl } from '../../../src/web/share.pages';
import { MemoryShareLinkStore } from '../../helpers/memory/share-link-store';

const SECRET = 'k'.repeat(32);
const at = new Date('2026-06-14T10:00:00Z');
const link = (revokedAt: Date | null): Pick<ShareLink, 'revokedAt'> => ({ revokedAt });

describe('share links: when one may be made', () => {
  it('when the postmortem is not published (or absent), then no link', () => {
    expect(shareRefusal(null, [])).toBe('only a published postmortem can be shared');
    expect(shareRefusal({ status: 'in_review' }, [])).toBe('only a published postmortem can be shared');
    expect(shareRefusal({ status: 'published' }, [])).toBeNull();
  });

  it('when the live links reach the cap, then no more; revoked ones do not count', () => {
    const live = Array.from({ length: MAX_ACTIVE_SHARE_LINKS - 1 }, () => link(null));
    expect(shareRefusal({ status: 'published' }, [...live, link(at)])).toBeNull();
    expect(shareRefusal({ status: 'published' }, [...live, link(null)])).toBe(
      `it has ${MAX_ACTIVE_SHARE_LINKS} active share links already: revoke one first`,
    );
    expect(isActive(link(null))).toBe(true);
    expect(isActive(link(at))).toBe(false);
  });
});

describe('share links: made, opened, revoked', () => {
  const published = { incidentId: 'i1', status: 'published' } as never;
  const deps = (status = 'published') => {
    const shareLinks = new MemoryShareLinkStore();
    return {
      shareLinks,
      postmortems: {
        find: (id: string) => Promise.resolve(id === 'i1' ? { ...(published as object), status } : null),
      },
      actionItems: { listForIncident: () => Promise.resolve([]) },
      now: () => at,
    } as never as Parameters<typeof createShareLink>[0] & { shareLinks: MemoryShareLinkStore };
  };

  it('when a person shares a published postmortem, then a random link of theirs opens it, until revoked', async () => {
    const d = deps();
    const made = await createShareLink(d, 'i1', 'alice');
    expect(made).toMatchObject({ incidentId: 'i1', createdBy: 'alice', createdAt: at, revokedAt: null });
    expect(made.id).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect((await createShareLink(d, 'i1', 'alice')).id).not.toBe(made.id);
    await expect(openSharedPostmortem(d, made.id)).resolves.toMatchObject({ link: { id: made.id } });
    await revokeShareLink(d, 'i1', made.id, 'bob');
    expect(d.shareLinks.links.get(made.id)).toMatchObject({ revokedBy: 'bob', revokedAt: at });
    await expect(openSharedPostmortem(d, made.id)).rejects.toThrow('shared postmortem not found');
    await expect(revokeShareLink(d, 'i1', made.id, 'bob')).rejects.toThrow('active share link not found');
  });

  it('when a link is revoked through another incident, then nothing happens', async () => {
    const d = deps();
    const made = await createShareLink(d, 'i1', 'alice');
    await expect(revokeShareLink(d, 'i2', made.id, 'bob')).rejects.toThrow('active share link not found');
    await expect(openSharedPostmortem(d, made.id)).resolves.toBeDefined();
  });

  it('when the postmortem is not published, then sharing is refused (422) and an old link opens nothing', async () => {
    await expect(createShareLink(deps('draft'), 'i1', 'alice')).rejects.toMatchObject({
      status: 422,
      code: 'not_shareable',
    });
    const d = deps('draft');
    await d.shareLinks.insert({
      id: 'x'.repeat(32),
      incidentId: 'i1',
      createdBy: 'a',
      createdAt: at,
      revokedBy: null,
      revokedAt: null,
    });
    await expect(openSharedPostmortem(d, 'x'.repeat(32))).rejects.toThrow('shared postmortem not found');
    await expect(openSharedPostmortem(d, 'y'.repeat(32))).rejects.toThrow('shared postmortem not found');
  });

  it('when a token is ours, then its link id is read; another secret or a changed id is refused', () => {
    const id = 'a'.repeat(32);
    const token = shareToken(SECRET, id);
    expect(linkIdOf(SECRET, token)).toBe(id);
    expect(linkIdOf('z'.repeat(32), token)).toBeNull();
    expect(linkIdOf(SECRET, `b${token.slice(1)}`)).toBeNull();
    expect(linkIdOf(SECRET, id)).toBeNull();
    expect(shareUrl('https://hs.example.com', SECRET, id)).toBe(`https://hs.example.com/shared/${token}`);
  });
});
