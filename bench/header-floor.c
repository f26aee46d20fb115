/* The floor for reading a docker save's layer headers on one thread: walk the outer tar and each
 * `layer.tar` member's tar headers, 512 bytes per header, seeking past bodies, summing the header
 * checksums (so the reads are used) and doing nothing else. Mode 0 reads with pread, 1 with a
 * whole-file mmap, 2 with mmap and MAP_POPULATE. Not part of layerscope: it bounds what any
 * header reader can do on this machine.
 * Build: gcc -O2 -o /tmp/header-floor bench/header-floor.c; run: /tmp/header-floor FILE MODE */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int mode, fd;
static const unsigned char *base;
static long long headers, sum;

static long long octal(const unsigned char *p, int n) {
  long long v = 0;
  for (int i = 0; i < n; i++)
    if (p[i] >= '0' && p[i] <= '7') v = v * 8 + (p[i] - '0');
  return v;
}

static const unsigned char *block(long long off, unsigned char *buf) {
  if (mode == 0) {
    if (pread(fd, buf, 512, off) != 512) memset(buf, 0, 512);
    return buf;
  }
  return base + off;
}

static void walk(long long start, long long end, int inner) {
  unsigned char buf[512];
  for (long long off = start; off + 512 <= end;) {
    const unsigned char *h = block(off, buf);
    if (h[0] == 0) break;
    for (int i = 0; i < 512; i++) sum += (i >= 148 && i < 156) ? 32 : h[i];
    headers++;
    long long size = octal(h + 124, 12), body = off + 512;
    if (!inner && h[156] == '0' && strstr((const char *)h, "layer.tar")) walk(body, body + size, 1);
    off = body + (size + 511) / 512 * 512;
  }
}

int main(int argc, char **argv) {
  if (argc < 3) return 2;
  mode = atoi(argv[2]);
  fd = open(argv[1], O_RDONLY);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) return 1;
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  if (mode > 0) base = mmap(0, st.st_size, PROT_READ, MAP_PRIVATE | (mode == 2 ? MAP_POPULATE : 0), fd, 0);
  walk(0, st.st_size, 0);
  clock_gettime(CLOCK_MONOTONIC, &b);
  printf("mode %d: %lld headers (checksum total %lld) in %.3f s\n", mode, headers, sum,
         (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9);
  return 0;
}
