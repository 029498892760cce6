//! Tag indexes of the framework clients (layouts in `crate::tags`): exact look-ups, the one
//! bounded discovery SCAN of `auto`, member sampling for prefix inference, the per-page
//! atomic "delete these items and remove exactly those members" script, and the framework
//! invalidations that have no index to page through (Laravel 8–9 namespace ids, Symfony
//! TagAwareAdapter versions).
//!
//! Why a run orphans no item tagged while it goes on:
//! - Same node (standalone, or a cluster member in the index's slot): one short script per page
//!   (≤ `MAX_SCRIPT_KEYS` keys, never a scan inside a script) UNLINKs the items and SREM/ZREMs
//!   exactly the members it deleted (plus absent members `tags::drop_absent` allows). A writer's
//!   SET+SADD of the same item lands wholly before (deleted and removed together) or after
//!   (item live, member present). The index is never DELeted: Redis removes a set or sorted
//!   set when its last member goes, so it disappears exactly when empty.
//! - Other nodes (cluster, members in other slots than the index): a script cannot span slots,
//!   so the items are UNLINKed on their nodes first, then exactly the deleted members are
//!   removed from the index, then `tag_readd` checks those items again and puts back any that
//!   exist (were re-written meanwhile). An item-first writer (SET, then SADD) whose SADD came
//!   before our SREM had its SET before it, so the check sees it; the caller calls `tag_readd`
//!   for the previous page again one page later, which covers index-first writers (Laravel:
//!   ZADD, then SET) whose SET lands after our removal.

use std::collections::{BTreeMap, HashSet};
use std::hash::{BuildHasher, RandomState};

use anyhow::{anyhow, Context, Result};

use super::slot::key_slot;
use super::{query, Engine};
use crate::tags::{self, IndexType, Layout};

/// Keys per script call: a page is split into calls of at most this many items.
pub const MAX_SCRIPT_KEYS: usize = 1000;

/// A tag index (or version key) that exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundIndex {
    pub layout: Layout,
    pub key: Vec<u8>,
    /// the text before the layout's fixed part (P+S)
    pub x: Vec<u8>,
}

/// One index member with its zset score (None for sets).
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub member: Vec<u8>,
    pub score: Option<f64>,
}

/// What one page did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageOutcome {
    /// items that existed and were deleted
    pub deleted: u64,
    /// items already gone
    pub missing: u64,
    /// members removed from the index
    pub removed: u64,
    /// the members whose item this page deleted (for `tag_readd` one page later)
    pub deleted_members: Vec<Member>,
}

/// Totals of `tag_invalidate_index`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TagRun {
    pub deleted: u64,
    pub missing: u64,
    pub removed: u64,
    /// members put back because their item was re-written during the run
    pub readded: u64,
    pub pages: u64,
}

const PAGE_SCRIPT: &str = r"
local kind = ARGV[1]
local res = {}
local rem = {}
for i = 2, #KEYS do
  local d = redis.call('UNLINK', KEYS[i])
  res[#res + 1] = d
  if d == 1 or ARGV[2 * i - 1] == '1' then
    rem[#rem + 1] = ARGV[2 * i - 2]
  end
end
if #rem > 0 then
  if kind == 'zset' then
    redis.call('ZREM', KEYS[1], unpack(rem))
  else
    redis.call('SREM', KEYS[1], unpack(rem))
  end
end
res[#res + 1] = #rem
return res
";

const CAS_DEL_SCRIPT: &str =
    "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

fn type_of(t: &str) -> Option<IndexType> {
    match t {
        "set" => Some(IndexType::Set),
        "zset" => Some(IndexType::Zset),
        "string" => Some(IndexType::String),
        _ => None,
    }
}

impl Engine {
    /// TYPE of each key (on its owning node), in one pipeline per node. `None` = absent or
    /// another type than a tag index can be.
    async fn types(&self, keys: &[Vec<u8>]) -> Result<Vec<Option<IndexType>>> {
        let mut out = vec![None; keys.len()];
        let mut by_node: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (i, k) in keys.iter().enumerate() {
            by_node.entry(self.node_for(k)).or_default().push(i);
        }
        for (node, idx) in by_node {
            let mut pipe = redis::pipe();
            for &i in &idx {
                pipe.cmd("TYPE").arg(keys[i].as_slice());
            }
            let n = &self.nodes[node];
            let mut conn = n.conn.clone();
            let replies: Vec<String> = pipe
                .query_async(&mut conn)
                .await
                .with_context(|| format!("TYPE on {}", n.addr))?;
            for (&i, t) in idx.iter().zip(replies) {
                out[i] = type_of(&t);
            }
        }
        Ok(out)
    }

    /// (a) Exact look-ups: which candidate index keys exist with their layout's type.
    pub async fn tag_lookup(
        &self,
        tag: &str,
        candidates: &[(Layout, Vec<u8>)],
    ) -> Result<Vec<FoundIndex>> {
        let keys: Vec<Vec<u8>> = candidates.iter().map(|(_, k)| k.clone()).collect();
        let types = self.types(&keys).await?;
        Ok(candidates
            .iter()
            .zip(types)
            .filter(|((l, _), t)| *t == Some(l.index_type()))
            .map(|((l, k), _)| FoundIndex {
                layout: *l,
                key: k.clone(),
                x: k[..k.len().saturating_sub(l.core(tag).len())].to_vec(),
            })
            .collect())
    }

    /// `auto` discovery: one SCAN (MATCH `*T*`, COUNT pages, every primary) for keys that are
    /// some layout's index of `tag` under any prefix, with the right type. Stops once `limit`
    /// indexes were found (callers refuse ambiguity, so 2–10 is plenty).
    pub async fn tag_discover(
        &self,
        tag: &str,
        family: Option<tags::Family>,
        count: u64,
        limit: usize,
    ) -> Result<Vec<FoundIndex>> {
        let (mut rx, handle) = self.scan_keys(tags::discovery_glob_any(tag), count);
        let mut hits: Vec<FoundIndex> = Vec::new();
        let mut seen: HashSet<Vec<u8>> = HashSet::new();
        while let Some(b) = rx.recv().await {
            let cands: Vec<(Layout, Vec<u8>, Vec<u8>)> = b
                .keys
                .into_iter()
                .filter_map(|k| tags::classify(&k, tag, family).map(|(l, x)| (l, k, x)))
                .filter(|(_, k, _)| seen.insert(k.clone()))
                .collect();
            if cands.is_empty() {
                continue;
            }
            let keys: Vec<Vec<u8>> = cands.iter().map(|(_, k, _)| k.clone()).collect();
            let types = self.types(&keys).await?;
            for ((layout, key, x), t) in cands.into_iter().zip(types) {
                if t == Some(layout.index_type()) {
                    hits.push(FoundIndex { layout, key, x });
                }
            }
            if hits.len() >= limit {
                break;
            }
        }
        drop(rx);
        handle.await.map_err(|e| anyhow!("scan task: {e}"))??;
        hits.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(hits)
    }

    /// One page of an index: SSCAN/ZSCAN from `cursor`. Returns the next cursor (0 = done).
    pub async fn tag_scan_page(
        &self,
        index: &[u8],
        ty: IndexType,
        cursor: u64,
        count: u64,
    ) -> Result<(u64, Vec<Member>)> {
        let n = &self.nodes[self.node_for(index)];
        let mut conn = n.conn.clone();
        let cmd = match ty {
            IndexType::Zset => "ZSCAN",
            IndexType::Set => "SSCAN",
            IndexType::String => return Ok((0, Vec::new())),
        };
        let (next, items): (u64, Vec<Vec<u8>>) = query(
            &mut conn,
            redis::cmd(cmd)
                .arg(index)
                .arg(cursor)
                .arg("COUNT")
                .arg(count),
        )
        .await
        .with_context(|| format!("{cmd} on {}", n.addr))?;
        let members = if ty == IndexType::Zset {
            items
                .chunks(2)
                .map(|c| Member {
                    member: c[0].clone(),
                    score: c
                        .get(1)
                        .and_then(|s| std::str::from_utf8(s).ok()?.parse::<f64>().ok()),
                })
                .collect()
        } else {
            items
                .into_iter()
                .map(|m| Member {
                    member: m,
                    score: None,
                })
                .collect()
        };
        Ok((next, members))
    }

    /// Up to `n` members of an index (its first pages), for prefix inference and messages.
    pub async fn tag_sample(&self, index: &[u8], ty: IndexType, n: usize) -> Result<Vec<Vec<u8>>> {
        let mut out = Vec::new();
        let mut cursor = 0;
        loop {
            let (next, page) = self.tag_scan_page(index, ty, cursor, 100).await?;
            out.extend(page.into_iter().map(|m| m.member));
            cursor = next;
            if cursor == 0 || out.len() >= n {
                break;
            }
        }
        out.truncate(n);
        Ok(out)
    }

    /// How many of `keys` exist, wherever they live (EXISTS per slot, per node).
    pub async fn exists_anywhere(&self, keys: Vec<Vec<u8>>) -> Result<u64> {
        let mut total = 0;
        for (node, ks) in self.by_node(keys) {
            total += self.exists(node, &ks).await?;
        }
        Ok(total)
    }

    /// Prefix inference for a found index: of `tags::prefix_candidates`, the `P`s under which
    /// the sample members exist (EXISTS of P+member), as `tags::infer` judges them.
    pub async fn tag_infer_prefix(
        &self,
        found: &FoundIndex,
        sample: &[Vec<u8>],
    ) -> Result<(Vec<Vec<u8>>, tags::Inferred)> {
        let first = sample.first().cloned().unwrap_or_default();
        let cands = tags::prefix_candidates(found.layout, &found.x, &first);
        let mut counts = Vec::with_capacity(cands.len());
        for p in &cands {
            let s = &found.x[p.len().min(found.x.len())..];
            let mp = found.layout.member_prefix(p, s);
            let keys = sample.iter().map(|m| [mp.as_slice(), m].concat()).collect();
            counts.push(self.exists_anywhere(keys).await?);
        }
        let inferred = tags::infer(&cands, &counts);
        Ok((cands, inferred))
    }

    /// (b) One page: delete the items (`member_prefix` + member) and remove from the index
    /// exactly the members whose item was deleted, plus absent members `tags::drop_absent`
    /// allows. Atomic per script call on the index's node; see the module doc for members on
    /// other nodes.
    pub async fn tag_page(
        &self,
        index: &[u8],
        layout: Layout,
        member_prefix: &[u8],
        page: &[Member],
    ) -> Result<PageOutcome> {
        let mut out = PageOutcome::default();
        if page.is_empty() {
            return Ok(out);
        }
        let kind = if layout.members_type() == IndexType::Zset {
            "zset"
        } else {
            "set"
        };
        let now = crate::audit::now_ms() as f64 / 1000.0;
        let ix_node = self.node_for(index);
        let ix_slot = key_slot(index);
        let full = |m: &Member| [member_prefix, m.member.as_slice()].concat();
        let (local, remote): (Vec<&Member>, Vec<&Member>) = page
            .iter()
            .partition(|m| !self.cluster || key_slot(&full(m)) == ix_slot);

        for chunk in local.chunks(MAX_SCRIPT_KEYS) {
            let mut cmd = redis::cmd("EVAL");
            cmd.arg(PAGE_SCRIPT).arg(chunk.len() + 1).arg(index);
            for m in chunk {
                cmd.arg(full(m));
            }
            cmd.arg(kind);
            for m in chunk {
                let drop = tags::drop_absent(layout, m.score, now);
                cmd.arg(m.member.as_slice())
                    .arg(if drop { "1" } else { "0" });
            }
            let n = &self.nodes[ix_node];
            let mut conn = n.conn.clone();
            let res: Vec<i64> = query(&mut conn, &cmd)
                .await
                .with_context(|| format!("tag page script on {}", n.addr))?;
            for (m, &d) in chunk.iter().zip(&res) {
                if d == 1 {
                    out.deleted += 1;
                    out.deleted_members.push((*m).clone());
                } else {
                    out.missing += 1;
                }
            }
            out.removed += res.last().copied().unwrap_or(0).max(0) as u64;
        }

        if !remote.is_empty() {
            // 1. UNLINK each item on its node (per key, for per-key results)
            let mut by_node: BTreeMap<usize, Vec<&Member>> = BTreeMap::new();
            for m in remote {
                by_node.entry(self.node_for(&full(m))).or_default().push(m);
            }
            let mut to_remove: Vec<Vec<u8>> = Vec::new();
            for (node, ms) in by_node {
                let mut pipe = redis::pipe();
                for m in &ms {
                    pipe.cmd("UNLINK").arg(full(m));
                }
                let n = &self.nodes[node];
                let mut conn = n.conn.clone();
                let res: Vec<i64> = pipe
                    .query_async(&mut conn)
                    .await
                    .with_context(|| format!("UNLINK on {}", n.addr))?;
                for (m, d) in ms.into_iter().zip(res) {
                    if d == 1 {
                        out.deleted += 1;
                        out.deleted_members.push(m.clone());
                        to_remove.push(m.member.clone());
                    } else {
                        out.missing += 1;
                        if tags::drop_absent(layout, m.score, now) {
                            to_remove.push(m.member.clone());
                        }
                    }
                }
            }
            // 2. then remove exactly those members from the index
            let n = &self.nodes[ix_node];
            let mut conn = n.conn.clone();
            for chunk in to_remove.chunks(MAX_SCRIPT_KEYS) {
                let cmd = if kind == "zset" { "ZREM" } else { "SREM" };
                let r: i64 = query(&mut conn, redis::cmd(cmd).arg(index).arg(chunk))
                    .await
                    .with_context(|| format!("{cmd} on {}", n.addr))?;
                out.removed += r.max(0) as u64;
            }
            // 3. and put back any item re-written meanwhile (item-first writers)
            let remote_deleted: Vec<Member> = out
                .deleted_members
                .iter()
                .filter(|m| key_slot(&full(m)) != ix_slot)
                .cloned()
                .collect();
            let back = self
                .tag_readd(index, layout, member_prefix, &remote_deleted)
                .await?;
            out.removed = out.removed.saturating_sub(back);
        }
        Ok(out)
    }

    /// Put back into the index the members whose item exists again (re-written after this
    /// run deleted it). Zset scores are recomputed as Laravel writes them (expiry unix time
    /// from the item's TTL, -1 without one). Returns how many were put back.
    pub async fn tag_readd(
        &self,
        index: &[u8],
        layout: Layout,
        member_prefix: &[u8],
        members: &[Member],
    ) -> Result<u64> {
        if members.is_empty() {
            return Ok(0);
        }
        let full: Vec<Vec<u8>> = members
            .iter()
            .map(|m| [member_prefix, m.member.as_slice()].concat())
            .collect();
        let mut pttl = vec![-2i64; full.len()];
        let mut by_node: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (i, k) in full.iter().enumerate() {
            by_node.entry(self.node_for(k)).or_default().push(i);
        }
        for (node, idx) in by_node {
            let mut pipe = redis::pipe();
            for &i in &idx {
                pipe.cmd("PTTL").arg(full[i].as_slice());
            }
            let n = &self.nodes[node];
            let mut conn = n.conn.clone();
            let r: Vec<i64> = pipe
                .query_async(&mut conn)
                .await
                .with_context(|| format!("PTTL on {}", n.addr))?;
            for (&i, t) in idx.iter().zip(r) {
                pttl[i] = t;
            }
        }
        let now = crate::audit::now_ms() as f64 / 1000.0;
        let back: Vec<(&Member, i64)> =
            members.iter().zip(pttl).filter(|(_, t)| *t != -2).collect();
        if back.is_empty() {
            return Ok(0);
        }
        let n = &self.nodes[self.node_for(index)];
        let mut conn = n.conn.clone();
        let cmd = if layout.members_type() == IndexType::Zset {
            let mut c = redis::cmd("ZADD");
            c.arg(index);
            for (m, t) in &back {
                let score = if *t < 0 {
                    -1
                } else {
                    (now + (*t as f64) / 1000.0).ceil() as i64
                };
                c.arg(score).arg(m.member.as_slice());
            }
            c
        } else {
            let mut c = redis::cmd("SADD");
            c.arg(index);
            for (m, _) in &back {
                c.arg(m.member.as_slice());
            }
            c
        };
        let _: i64 = query(&mut conn, &cmd)
            .await
            .with_context(|| format!("re-adding tag members on {}", n.addr))?;
        Ok(back.len() as u64)
    }

    /// Invalidate one set/zset index page by page (`batch` members per page): each page is
    /// `tag_page`, and the previous page's deleted members are checked again with
    /// `tag_readd` after the next page (and after the last). Members are deduplicated (SSCAN
    /// may return one twice). Memory: one page plus 16 bytes per member.
    pub async fn tag_invalidate_index(
        &self,
        index: &[u8],
        layout: Layout,
        member_prefix: &[u8],
        batch: usize,
    ) -> Result<TagRun> {
        let ty = layout.members_type();
        let mut run = TagRun::default();
        let hasher = RandomState::new();
        let mut seen: HashSet<u64> = HashSet::new();
        let mut previous: Vec<Member> = Vec::new();
        let mut cursor = 0;
        loop {
            let (next, page) = self
                .tag_scan_page(index, ty, cursor, batch.max(1) as u64)
                .await?;
            let fresh: Vec<Member> = page
                .into_iter()
                .filter(|m| seen.insert(hasher.hash_one(&m.member)))
                .collect();
            for chunk in fresh.chunks(batch.max(1)) {
                let o = self.tag_page(index, layout, member_prefix, chunk).await?;
                run.pages += 1;
                run.deleted += o.deleted;
                run.missing += o.missing;
                run.removed += o.removed;
                let back = self
                    .tag_readd(index, layout, member_prefix, &previous)
                    .await?;
                run.readded += back;
                run.removed = run.removed.saturating_sub(back);
                previous = o.deleted_members;
            }
            cursor = next;
            if cursor == 0 {
                break;
            }
        }
        let back = self
            .tag_readd(index, layout, member_prefix, &previous)
            .await?;
        run.readded += back;
        run.removed = run.removed.saturating_sub(back);
        Ok(run)
    }

    /// (c) Laravel 8–9: the namespace id stored at `{P}{S}tag:{T}:key`, with the raw value
    /// (for `laravel_forget_tag`). `None` when absent or not an id.
    pub async fn laravel_tag_id(&self, tag_key: &[u8]) -> Result<Option<(String, Vec<u8>)>> {
        let n = &self.nodes[self.node_for(tag_key)];
        let mut conn = n.conn.clone();
        let v: Option<Vec<u8>> = query(&mut conn, redis::cmd("GET").arg(tag_key))
            .await
            .with_context(|| format!("GET on {}", n.addr))?;
        Ok(v.and_then(|raw| tags::laravel_tag_id(&raw).map(|id| (id, raw))))
    }

    /// (c) Laravel 8–9 `TagSet::flushTag`: forget `tag:{T}:key`, so the framework picks a new
    /// namespace id and every item of the old one is a miss. Only if it still holds `raw`
    /// (compare-and-delete, one O(1) script): a tag re-created meanwhile is left alone.
    pub async fn laravel_forget_tag(&self, tag_key: &[u8], raw: &[u8]) -> Result<bool> {
        let n = &self.nodes[self.node_for(tag_key)];
        let mut conn = n.conn.clone();
        let r: i64 = query(
            &mut conn,
            redis::cmd("EVAL")
                .arg(CAS_DEL_SCRIPT)
                .arg(1)
                .arg(tag_key)
                .arg(raw),
        )
        .await
        .with_context(|| format!("forgetting the tag id on {}", n.addr))?;
        Ok(r == 1)
    }

    /// (c) Laravel 8–9 in full, as `RedisTaggedCache::flush` does it but race-free: forget the
    /// tag id first (the framework's invalidation point: new writes get a new namespace), then
    /// collect the old namespace's `forever_ref` and `standard_ref` sets page by page.
    /// `x` = P+S (where the tag key was found), `p` = the client prefix (members carry S).
    pub async fn laravel_refs_invalidate(
        &self,
        tag_key: &[u8],
        x: &[u8],
        p: &[u8],
        batch: usize,
    ) -> Result<TagRun> {
        let Some((id, raw)) = self.laravel_tag_id(tag_key).await? else {
            return Ok(TagRun::default());
        };
        self.laravel_forget_tag(tag_key, &raw).await?;
        let mut total = TagRun::default();
        for set in Layout::laravel_ref_sets(x, &id) {
            let r = self
                .tag_invalidate_index(&set, Layout::LaravelRefs, p, batch)
                .await?;
            total.deleted += r.deleted;
            total.missing += r.missing;
            total.removed += r.removed;
            total.readded += r.readded;
            total.pages += r.pages;
        }
        Ok(total)
    }

    /// (c) Symfony TagAwareAdapter `invalidateTags`: delete the tag's version key (`deleteItems`
    /// on the tags pool); items are left in place and read as misses (their stored version no
    /// longer matches). Returns whether the key existed.
    pub async fn symfony_tagaware_invalidate(&self, version_key: &[u8]) -> Result<bool> {
        let node = self.node_for(version_key);
        Ok(self.unlink(node, &[version_key.to_vec()]).await? == 1)
    }

    /// Cap the TTLs of an index's items (`--soft`): the index is left as it is (its members
    /// still live until they expire). Returns how many TTLs were capped.
    pub async fn tag_soft_page(
        &self,
        member_prefix: &[u8],
        page: &[Member],
        ms: u64,
    ) -> Result<u64> {
        let keys: Vec<Vec<u8>> = page
            .iter()
            .map(|m| [member_prefix, m.member.as_slice()].concat())
            .collect();
        let mut n = 0;
        for (node, ks) in self.by_node(keys) {
            n += self.cap_ttl(node, &ks, ms).await?;
        }
        Ok(n)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub index: FoundIndex,
    /// P: the client key prefix (given or inferred); for Laravel 10–13 and TagAwareAdapter,
    /// where P and S cannot be told apart, the whole X
    pub key_prefix: Vec<u8>,
    /// S as it appears in Redis (X without P)
    pub tag_prefix: Vec<u8>,
    /// what goes before a member to make the item key
    pub member_prefix: Vec<u8>,
}

impl Engine {
    /// Invalidate a resolved tag the way its layout needs: page through a set/zset index;
    /// Laravel 8–9: forget the tag id, then collect its reference sets; TagAwareAdapter:
    /// delete the version key (`removed` = 1 when it existed).
    pub async fn tag_invalidate(&self, r: &Resolved, batch: usize) -> Result<TagRun> {
        match r.index.layout {
            Layout::LaravelRefs => {
                self.laravel_refs_invalidate(&r.index.key, &r.index.x, &r.key_prefix, batch)
                    .await
            }
            Layout::SymfonyTagAware0 | Layout::SymfonyTagAware1 => Ok(TagRun {
                removed: self.symfony_tagaware_invalidate(&r.index.key).await? as u64,
                ..TagRun::default()
            }),
            l => {
                self.tag_invalidate_index(&r.index.key, l, &r.member_prefix, batch)
                    .await
            }
        }
    }
}
