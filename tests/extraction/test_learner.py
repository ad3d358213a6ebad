"""Per-site boilerplate learning: a block repeated across a site's pages leaves the body even
when no rule knows it; nothing leaks between sites; memory stays bounded."""

from __future__ import annotations

import random

from pipelines.extract import Article, BoilerplateLearner, extract

SLOGAN = "Phường Tây Sơn văn minh, hiện đại, nghĩa tình, phát triển bền vững"
TOPICS = ["tổng kết công tác", "ra quân vệ sinh", "tập huấn hòa giải", "trao học bổng",
          "kiểm tra phòng cháy", "đối thoại nông dân"]


def _page(topic: str, number: int) -> bytes:
    text = (f"Ngày {number + 1}/3/2024, UBND phường tổ chức hội nghị {topic} với sự tham gia của "
            f"{number + 40} đại biểu đến từ các tổ dân phố và các ban ngành đoàn thể. ") * 3
    return (f'<html lang="vi"><head><title>Hội nghị {topic} - Phường Tây Sơn</title></head><body>'
            f'<div class="content"><h1>Hội nghị {topic}</h1><p>{text}</p><p>{text}</p>'
            f"<p>{SLOGAN}</p></div></body></html>").encode()


def test_a_block_on_many_pages_is_learned_and_stripped() -> None:
    learner = BoilerplateLearner(min_pages=3)
    site = "tayson.example.gov.vn"
    first = extract(_page(TOPICS[0], 0), "https://tayson.example.gov.vn/1.html")
    assert isinstance(first, Article) and SLOGAN in first.body  # no rule knows the slogan
    for number, topic in enumerate(TOPICS[:4]):
        result = extract(_page(topic, number), f"https://tayson.example.gov.vn/{number}.html",
                         site_boilerplate=learner.known(site))
        assert isinstance(result, Article)
        learner.observe(site, result)
    assert learner.pages_seen(site) == 4
    later = extract(_page(TOPICS[5], 9), "https://tayson.example.gov.vn/9.html",
                    site_boilerplate=learner.known(site))
    assert isinstance(later, Article)
    assert SLOGAN not in later.body
    assert "đối thoại nông dân" in later.body
    # The stripped block is still observed, so it stays known as the crawl goes on.
    assert SLOGAN in later.text_blocks
    assert learner.known("other.example.gov.vn") == frozenset()


def test_article_text_is_not_learned() -> None:
    learner = BoilerplateLearner(min_pages=3)
    for number, topic in enumerate(TOPICS):
        learner.observe("s", [f"Đoạn văn riêng số {number} về {topic}", "Dòng lặp lại"])
    known = learner.known("s")
    assert known == frozenset({"dòng lặp lại"})


def test_counters_with_changing_numbers_are_one_block() -> None:
    learner = BoilerplateLearner(min_pages=3)
    for visits in (1314, 1402, 1533, 1601):
        learner.observe("s", [f"Lượt truy cập trang: {visits}"])
    assert len(learner.known("s")) == 1


def test_memory_is_bounded() -> None:
    learner = BoilerplateLearner(max_blocks=100, max_sites=5)
    for page in range(50):
        learner.observe("big", [f"khối {page}-{n}" for n in range(10)])
    assert len(learner._sites["big"].blocks) <= 100
    for site in range(20):
        learner.observe(f"site-{site}", ["x"])
    assert len(learner._sites) == 5
    assert learner.pages_seen("site-0") == 0  # the least recently used sites were evicted


def test_known_blocks_kept_up_to_date_page_by_page_match_a_full_recount() -> None:
    # known() is updated from each page's blocks instead of recounting every counter: after
    # every page it must equal what a fresh count of the same pages gives, evictions included.
    rng = random.Random(7)
    # Told apart by letters: block_key() folds digits ("Hôm nay: 1314" is one block).
    pool = [f"khối {'abcdefghij'[n % 10]}{'klmnopqrst'[n // 10]}" for n in range(60)]
    # With evictions (40 counters), and without: blocks on ~30 % of pages keep crossing the
    # threshold (30 % of the pages) both ways.
    for learner in (BoilerplateLearner(max_blocks=40), BoilerplateLearner()):
        _check_against_recount(learner, rng, pool)


def _check_against_recount(learner: BoilerplateLearner, rng: random.Random,
                           pool: list[str]) -> None:
    for page in range(400):
        site = rng.choice(["a", "b"])
        blocks = [block for block in pool[:10] if rng.random() < 0.3]
        blocks += rng.sample(pool, rng.randint(0, 6))
        learner.observe(site, blocks)
        if page % 3:
            learner.known(site)  # cached between pages, as the crawl asks for it
        for name in ("a", "b"):
            counts = learner._sites.get(name)
            if counts is None:
                continue
            floor = max(learner.min_pages, learner.min_share * counts.pages)
            expected = {key for key, seen in counts.blocks.items() if seen >= floor}
            assert learner.known(name) == expected, (page, name)
