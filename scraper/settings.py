"""Scrapy settings of the treaty-tracker crawler (the static, polite defaults).

Values that come from the tracker's own configuration (User-Agent with contact,
download timeout, maximum page size, database URL, data folder) are applied by the
spider's ``update_settings`` from :func:`tracker.config.get_settings`, so that
``scrapy crawl status`` and ``treaty-tracker poll`` behave the same. Anything set on the
command line (``-s NAME=VALUE`` / ``--set NAME=VALUE``) wins over both.
"""

BOT_NAME = "treaty-tracker"
SPIDER_MODULES = ["scraper.spiders"]
NEWSPIDER_MODULE = "scraper.spiders"

# Politeness: obey robots.txt, one site, few requests at a time, adaptive delays.
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 4
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
DOWNLOAD_DELAY_JITTER = 0.5  # +-50 %
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# Robustness: retry server errors, throttling answers and connection errors, with backoff.
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
#: Seconds before the n-th retry: RETRY_BACKOFF_BASE * 2 ** (n - 1), at most RETRY_BACKOFF_MAX.
RETRY_BACKOFF_BASE = 2.0
RETRY_BACKOFF_MAX = 60.0
#: A Retry-After header is honoured up to this many seconds (longer waits give up).
RETRY_AFTER_MAX = 120.0
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "scraper.middlewares.BackoffRetryMiddleware": 550,
    # before Scrapy's RedirectMiddleware (600): off-host redirects and loops become errors
    "scraper.middlewares.RedirectGuardMiddleware": 650,
}

# TLS: OpenSSL's defaults, except a lowered security level for TRACKER_TLS_LEGACY_HOSTS only
# (the Council of Europe's service; see scraper/tls.py).
DOWNLOAD_HANDLERS = {"https": "scraper.tls.HostTLSDownloadHandler"}

# Every poll must see the live page.
HTTPCACHE_ENABLED = False
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
REDIRECT_MAX_TIMES = 5
DOWNLOAD_WARNSIZE = 0

ITEM_PIPELINES = {
    "scraper.pipelines.RecordPollPipeline": 300,
}

# Scrapy re-reads a callback's source on every response to warn about generators that
# return a value (its cache misses bound methods): a few ms of CPU per page, for a warning
# our callbacks never need (they return nothing).
WARN_ON_GENERATOR_RETURN_VALUE = False

LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"
