// An open-loop load generator without pauses of its own (C, one thread, epoll): calls start on a fixed schedule,
// RATE a second, whatever the server does; each call walks bench/flows/bench.json like bench/wrk/calls.lua
// (newCall, four getIvrCommand, callEvent, sessionCompleted), its callbacks one after another on one keep-alive
// connection. A callback's latency counts from when it was meant to be sent: a call that waits for a free
// connection has that wait in its first callback's latency (no coordinated omission).
// Build: cc -O2 -o openloop openloop.c
// Usage: openloop HOST-IP PORT RATE SECONDS [CONNECTIONS] [WARMUP-SECONDS]
// Prints percentiles over the measured seconds (the warm-up's calls are not counted) and every second's p99.
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define STEPS 7
#define BUF 8192

typedef struct {
  int fd, busy, step, out_len, out_sent, in_len;
  long call;
  int64_t intended;  // when the current callback was meant to be sent, ns
  char out[BUF], in[BUF];
} conn_t;

static int64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t) t.tv_sec * 1000000000LL + t.tv_nsec;
}

static const char *host;
static int port;
static char tag[32];
static char pad[300];

static int64_t *lat;  // measured latencies, us
static long nlat, caplat;
static int64_t *sec_lat[3600];
static long sec_n[3600], sec_cap[3600];
static long not200, errors, completed;

static void record(int64_t intended, int64_t t0, int64_t warm, int64_t us) {
  if (intended < t0 + warm) return;
  if (nlat < caplat) lat[nlat++] = us;
  long s = (intended - t0 - warm) / 1000000000LL;
  if (s >= 0 && s < 3600) {
    if (sec_n[s] == sec_cap[s]) {
      sec_cap[s] = sec_cap[s] ? sec_cap[s] * 2 : 4096;
      sec_lat[s] = realloc(sec_lat[s], sec_cap[s] * sizeof(int64_t));
    }
    sec_lat[s][sec_n[s]++] = us;
  }
}

static void build(conn_t *c) {
  char body[1024], sid[64];
  const char *path;
  snprintf(sid, sizeof sid, "%s-%ld", tag, c->call);
  switch (c->step) {
    case 0:
      path = "/newCall";
      snprintf(body, sizeof body, "{\"sessionId\":\"%s\",\"sipCallId\":\"%s@10.0.0.2\",\"callingPartyPrivacy\":\"public\","
               "\"callingParty\":\"+46701234567\",\"displayName\":\"Bench Caller\",\"fromUser\":\"+46701234567\","
               "\"calledParty\":\"+46850009999\",\"xHeaders\":{},\"pHeaders\":{},\"paiNumber\":\"+46701234567\","
               "\"srcAddr\":\"10.0.0.2\",\"siteBaseUrl\":\"http://127.0.0.1:9\"}", sid, sid);
      break;
    case 1: case 2: case 3: case 4: {
      const char *digits = c->step == 2 ? "3" : c->step == 3 ? "123456#" : NULL;
      char dtmf[200] = "";
      if (digits) {
        snprintf(dtmf, sizeof dtmf, ",\"dtmfBuffer\":\"%s\",\"dtmfParams\":{\"dtmfMatch\":\"%s\",\"reason\":\"%s\"}",
                 digits, c->step == 3 ? "123456" : "3", c->step == 3 ? "terminationKey" : "maxDigits");
      }
      path = "/getIvrCommand";
      snprintf(body, sizeof body, "{\"sessionId\":\"%s\",\"replyId\":\"%s%s-%d\"%s,\"siteBaseUrl\":\"http://127.0.0.1:9\"}",
               sid, pad, sid, c->step, dtmf);
      break;
    }
    case 5:
      path = "/callEvent";
      snprintf(body, sizeof body, "{\"event\":\"callingPartyDrop\",\"participantId\":\"p-%s\",\"remoteParticipantId\":\"ivr\","
               "\"sessionId\":\"%s\"}", sid, sid);
      break;
    default:
      path = "/sessionCompleted";
      snprintf(body, sizeof body, "{\"sessionId\":\"%s\",\"sessionDuration\":\"12\",\"reason\":\"caller-hangup\"}", sid);
  }
  c->out_len = snprintf(c->out, BUF, "POST %s HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: application/json\r\n"
                        "Content-Length: %zu\r\n\r\n%s", path, host, port, strlen(body), body);
  c->out_sent = 0;
  c->in_len = 0;
}

static void send_some(conn_t *c) {
  while (c->out_sent < c->out_len) {
    ssize_t n = write(c->fd, c->out + c->out_sent, c->out_len - c->out_sent);
    if (n < 0) {
      if (errno == EAGAIN) return;
      errors++;
      return;
    }
    c->out_sent += n;
  }
}

// 1 when a whole response is in c->in.
static int response_done(conn_t *c) {
  c->in[c->in_len] = 0;
  char *end = strstr(c->in, "\r\n\r\n");
  if (!end) return 0;
  long length = 0;
  for (char *h = c->in; h < end;) {
    char *eol = strstr(h, "\r\n");
    if (strncasecmp(h, "content-length:", 15) == 0) length = atol(h + 15);
    h = eol + 2;
  }
  if ((end + 4 - c->in) + length > c->in_len) return 0;
  if (strncmp(c->in + 9, "200", 3) != 0) not200++;
  return 1;
}

static int open_conn(struct sockaddr_in *addr, int ep, conn_t *c) {
  c->fd = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (connect(c->fd, (struct sockaddr *) addr, sizeof *addr) < 0) return -1;
  fcntl(c->fd, F_SETFL, O_NONBLOCK);
  struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
  return epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev);
}

static int cmp(const void *a, const void *b) {
  int64_t x = *(const int64_t *) a, y = *(const int64_t *) b;
  return x < y ? -1 : x > y;
}

static double pct(int64_t *v, long n, double p) {
  if (n == 0) return 0;
  long i = (long) (p / 100.0 * n);
  return v[i >= n ? n - 1 : i] / 1000.0;
}

int main(int argc, char **argv) {
  if (argc < 5) {
    fprintf(stderr, "usage: openloop HOST-IP PORT RATE SECONDS [CONNECTIONS] [WARMUP-SECONDS]\n");
    return 2;
  }
  host = argv[1];
  port = atoi(argv[2]);
  double rate = atof(argv[3]);
  int seconds = atoi(argv[4]);
  int nconn = argc > 5 ? atoi(argv[5]) : 256;
  int warmup = argc > 6 ? atoi(argv[6]) : 5;
  snprintf(tag, sizeof tag, "ol%ld", (long) time(NULL) % 1000000);
  memset(pad, 'x', 240);
  memcpy(pad, "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.", 37);
  caplat = (long) (rate * STEPS * (seconds + 1)) + 1000;
  lat = malloc(caplat * sizeof(int64_t));

  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(port)};
  inet_pton(AF_INET, host, &addr.sin_addr);
  int ep = epoll_create1(0);
  conn_t *conns = calloc(nconn, sizeof(conn_t));
  for (int i = 0; i < nconn; i++) {
    if (open_conn(&addr, ep, &conns[i]) < 0) {
      perror("connect");
      return 1;
    }
  }
  int64_t *pending = malloc(sizeof(int64_t) * (long) (rate * (seconds + warmup + 1) + 16));
  long pend_head = 0, pend_tail = 0, scheduled = 0, total = (long) (rate * (seconds + warmup));
  int64_t t0 = now_ns(), warm = (int64_t) warmup * 1000000000LL, gap = (int64_t) (1e9 / rate);
  long next_call = 0;
  struct epoll_event events[256];
  while (completed < total) {
    int64_t now = now_ns();
    while (scheduled < total && t0 + scheduled * gap <= now) pending[pend_tail++] = t0 + scheduled++ * gap;
    for (int i = 0; i < nconn && pend_head < pend_tail; i++) {
      conn_t *c = &conns[i];
      if (c->busy) continue;
      c->busy = 1;
      c->step = 0;
      c->call = next_call++;
      c->intended = pending[pend_head++];
      build(c);
      send_some(c);
    }
    int64_t wait = scheduled < total ? (t0 + scheduled * gap - now_ns()) / 1000000 : 100;
    int n = epoll_wait(ep, events, 256, wait < 0 ? 0 : wait > 100 ? 100 : (int) wait);
    for (int e = 0; e < n; e++) {
      conn_t *c = events[e].data.ptr;
      ssize_t r = read(c->fd, c->in + c->in_len, BUF - 1 - c->in_len);
      if (r <= 0) {
        if (r < 0 && errno == EAGAIN) continue;
        errors++;
        fprintf(stderr, "connection closed by the server\n");
        return 1;
      }
      c->in_len += r;
      if (!c->busy || !response_done(c)) continue;
      int64_t done = now_ns();
      record(c->intended, t0, warm, (done - c->intended) / 1000);
      if (++c->step == STEPS) {
        c->busy = 0;
        completed++;
        continue;
      }
      c->intended = done;
      build(c);
      send_some(c);
    }
  }
  double elapsed = (now_ns() - t0 - warm) / 1e9;
  qsort(lat, nlat, sizeof(int64_t), cmp);
  printf("open loop: %.0f calls/s (%.0f callbacks/s) for %d s after %d s unmeasured, %d connections\n", rate,
         rate * STEPS, seconds, warmup, nconn);
  printf("callbacks measured %ld (%.0f/s), not 200: %ld, socket errors: %ld\n", nlat, nlat / elapsed, not200, errors);
  printf("OPENLOOP p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f\n", pct(lat, nlat, 50),
         pct(lat, nlat, 90), pct(lat, nlat, 99), pct(lat, nlat, 99.9), nlat ? lat[nlat - 1] / 1000.0 : 0);
  printf("p99 per second (ms):");
  for (int s = 0; s < seconds && s < 3600; s++) {
    qsort(sec_lat[s], sec_n[s], sizeof(int64_t), cmp);
    printf(" %.2f", pct(sec_lat[s], sec_n[s], 99));
  }
  printf("\n");
  return not200 || errors ? 1 : 0;
}
