/* A read-only FUSE passthrough that adds a delay to every file system call: a NAS
 * share on this machine (NFS/SMB answer each call after a network round trip).
 *
 *     slowfs SOURCE MOUNTPOINT [--delay-ms 0.5] [--listing-attrs] [--writable]
 *
 * bench/share.py builds it (cc, pkg-config and Debian's libfuse3-dev) and runs it;
 * bench/README.md ("The share") says what it plays and why it is written in C: the
 * share's round trips cost this machine no CPU, as a NAS's do not, where a Python
 * daemon spent ~200 us of a core on each call.
 *
 * Attributes are cached for at most 1 s (attr_timeout/entry_timeout) and data not at
 * all (direct_io), as a share mounted with default options behaves for a scan that
 * reads each file's header once. Calls are served on THREADS threads, none ended while
 * idle, so calls in flight at once overlap as they do on a network.
 *
 * Listings carry each entry's type (d_type), as NFS and SMB listings do. With
 * --listing-attrs a listing carries the entries' other attributes too (NFS
 * READDIRPLUS, SMB2 QUERY_DIRECTORY): a getattr of an entry within 1 s of its
 * folder's listing is answered without the delay (counted as getattr_listed).
 *
 * Read-only, unless --writable: then a file may also be opened for writing, written
 * in place (pwrite) and fsync'ed, each call after the delay too; nothing is ever
 * created, truncated, renamed or removed (those calls are not served). The default
 * tracks' benchmark writes a header's few bytes through it (bench/default_tracks.py).
 *
 * It counts the calls it serves, by kind: MOUNTPOINT/.slowfs-stats reads as their
 * JSON at any time, itself neither counted, delayed nor listed. Stops (and unmounts)
 * on SIGTERM.
 */
#define FUSE_USE_VERSION 31
#define _GNU_SOURCE

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fuse.h>
#include <limits.h>
#include <pthread.h>
#include <search.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#define STATS "/.slowfs-stats"
#define STATS_SIZE 4096       /* the JSON, padded with spaces: a size the kernel may cache */
#define STATS_FH (1ULL << 62) /* the handle of an open stats file (real ones are small) */
#define ATTR_SECONDS "1"      /* attr_timeout and entry_timeout */
#define LISTED_SECONDS 1.0    /* how long a listing's attributes answer a getattr */
#define LISTED_MAX (1 << 20)  /* folders remembered as listed; beyond, getattr waits */
#define THREADS "10"          /* libfuse 3's threads serving calls (its default) */

enum kind {
    OPEN, OPENDIR, READDIR, GETATTR, GETATTR_LISTED, READ, READLINK, STATFS, WRITE, FSYNC, KINDS
};
static const char *kind_names[KINDS] = {
    "open", "opendir", "readdir", "getattr", "getattr_listed", "read", "readlink", "statfs",
    "write", "fsync",
};

static char source[PATH_MAX];
static struct timespec delay;
static int listing_attrs;
static int writable;
static atomic_long calls[KINDS];
static struct hsearch_data listed; /* folder path -> when it was last listed (a double) */
static pthread_mutex_t listed_lock = PTHREAD_MUTEX_INITIALIZER;

static double now(void) {
    struct timespec clock;
    clock_gettime(CLOCK_MONOTONIC, &clock);
    return clock.tv_sec + clock.tv_nsec / 1e9;
}

/* Counts a call of this kind and waits the round trip. */
static void round_trip(enum kind kind) {
    atomic_fetch_add(&calls[kind], 1);
    struct timespec left = delay;
    while (nanosleep(&left, &left) == -1 && errno == EINTR) {
    }
}

/* The same path under the source folder; 0, or -ENAMETOOLONG. */
static int source_path(char out[PATH_MAX], const char *path) {
    int length = snprintf(out, PATH_MAX, "%s%s", source, path);
    return length < 0 || length >= PATH_MAX ? -ENAMETOOLONG : 0;
}

static void mark_listed(const char *folder) {
    ENTRY wanted = {.key = (char *)folder}, *found = NULL;
    pthread_mutex_lock(&listed_lock);
    if (hsearch_r(wanted, FIND, &found, &listed) == 0) {
        double *when = malloc(sizeof *when);
        wanted.key = strdup(folder);
        wanted.data = when;
        if (when == NULL || wanted.key == NULL || hsearch_r(wanted, ENTER, &found, &listed) == 0) {
            free(when);
            free(wanted.key);
            found = NULL; /* table full: this folder's entries wait as if never listed */
        }
    }
    if (found != NULL)
        *(double *)found->data = now();
    pthread_mutex_unlock(&listed_lock);
}

/* The entry's attributes came with its folder's listing, less than 1 s ago. */
static int from_listing(const char *path) {
    if (!listing_attrs)
        return 0;
    char folder[PATH_MAX];
    snprintf(folder, sizeof folder, "%s", path);
    char *slash = strrchr(folder, '/');
    if (slash == NULL)
        return 0;
    if (slash == folder)
        slash[1] = '\0'; /* an entry of the root: its folder is "/" */
    else
        *slash = '\0';
    ENTRY wanted = {.key = folder}, *found = NULL;
    pthread_mutex_lock(&listed_lock);
    int recent = hsearch_r(wanted, FIND, &found, &listed) != 0 &&
                 now() - *(double *)found->data < LISTED_SECONDS;
    pthread_mutex_unlock(&listed_lock);
    return recent;
}

static int stats_json(char out[STATS_SIZE]) {
    int length = snprintf(out, STATS_SIZE, "{");
    for (int kind = 0; kind < KINDS; kind++) {
        long count = atomic_load(&calls[kind]);
        if (count > 0)
            length += snprintf(out + length, STATS_SIZE - length, "%s\"%s\": %ld",
                               length > 1 ? ", " : "", kind_names[kind], count);
    }
    length += snprintf(out + length, STATS_SIZE - length, "}");
    memset(out + length, ' ', STATS_SIZE - length);
    return STATS_SIZE;
}

static int slow_getattr(const char *path, struct stat *info, struct fuse_file_info *file) {
    (void)file;
    if (strcmp(path, STATS) == 0) {
        memset(info, 0, sizeof *info);
        info->st_mode = S_IFREG | 0444;
        info->st_nlink = 1;
        info->st_size = STATS_SIZE;
        clock_gettime(CLOCK_REALTIME, &info->st_mtim);
        info->st_atim = info->st_ctim = info->st_mtim;
        return 0;
    }
    char real[PATH_MAX];
    int error = source_path(real, path);
    if (error)
        return error;
    if (from_listing(path))
        atomic_fetch_add(&calls[GETATTR_LISTED], 1);
    else
        round_trip(GETATTR);
    return lstat(real, info) == -1 ? -errno : 0;
}

static int slow_opendir(const char *path, struct fuse_file_info *file) {
    (void)path;
    (void)file;
    atomic_fetch_add(&calls[OPENDIR], 1); /* counted, not delayed: readdir pays the trip */
    return 0;
}

static int slow_readdir(const char *path, void *buffer, fuse_fill_dir_t fill, off_t offset,
                        struct fuse_file_info *file, enum fuse_readdir_flags flags) {
    (void)offset;
    (void)file;
    (void)flags;
    char real[PATH_MAX];
    int error = source_path(real, path);
    if (error)
        return error;
    round_trip(READDIR);
    DIR *folder = opendir(real);
    if (folder == NULL)
        return -errno;
    struct dirent *entry;
    while ((entry = readdir(folder)) != NULL) {
        struct stat info = {0};
        info.st_mode = entry->d_type == DT_DIR   ? S_IFDIR
                       : entry->d_type == DT_LNK ? S_IFLNK
                                                 : S_IFREG;
        struct stat full; /* a source that leaves the type out: as a share's listing has it */
        if (entry->d_type == DT_UNKNOWN &&
            fstatat(dirfd(folder), entry->d_name, &full, AT_SYMLINK_NOFOLLOW) == 0)
            info.st_mode = full.st_mode & S_IFMT;
        if (fill(buffer, entry->d_name, &info, 0, 0) != 0)
            break;
    }
    closedir(folder);
    if (listing_attrs)
        mark_listed(path);
    return 0;
}

static int slow_readlink(const char *path, char *target, size_t size) {
    char real[PATH_MAX];
    int error = source_path(real, path);
    if (error)
        return error;
    round_trip(READLINK);
    ssize_t length = readlink(real, target, size - 1);
    if (length == -1)
        return -errno;
    target[length] = '\0';
    return 0;
}

static int slow_open(const char *path, struct fuse_file_info *file) {
    if ((file->flags & O_ACCMODE) != O_RDONLY && (!writable || (file->flags & O_TRUNC)))
        return -EROFS;
    if (strcmp(path, STATS) == 0) {
        file->fh = STATS_FH;
        return 0;
    }
    char real[PATH_MAX];
    int error = source_path(real, path);
    if (error)
        return error;
    round_trip(OPEN);
    int descriptor = open(real, file->flags);
    if (descriptor == -1)
        return -errno;
    file->fh = (uint64_t)descriptor;
    file->direct_io = 1;
    return 0;
}

static int slow_read(const char *path, char *buffer, size_t size, off_t offset,
                     struct fuse_file_info *file) {
    (void)path;
    if (file->fh == STATS_FH) {
        char json[STATS_SIZE];
        stats_json(json);
        if (offset >= STATS_SIZE)
            return 0;
        size_t left = (size_t)(STATS_SIZE - offset);
        size_t length = size < left ? size : left;
        memcpy(buffer, json + offset, length);
        return (int)length;
    }
    round_trip(READ);
    ssize_t length = pread((int)file->fh, buffer, size, offset);
    return length == -1 ? -errno : (int)length;
}

static int slow_write(const char *path, const char *buffer, size_t size, off_t offset,
                      struct fuse_file_info *file) {
    (void)path;
    if (file->fh == STATS_FH)
        return -EROFS;
    round_trip(WRITE);
    ssize_t length = pwrite((int)file->fh, buffer, size, offset);
    return length == -1 ? -errno : (int)length;
}

static int slow_fsync(const char *path, int datasync, struct fuse_file_info *file) {
    (void)path;
    if (file->fh == STATS_FH)
        return 0;
    round_trip(FSYNC);
    int done = datasync ? fdatasync((int)file->fh) : fsync((int)file->fh);
    return done == -1 ? -errno : 0;
}

static int slow_release(const char *path, struct fuse_file_info *file) {
    (void)path;
    if (file->fh != STATS_FH)
        close((int)file->fh);
    return 0;
}

static int slow_statfs(const char *path, struct statvfs *info) {
    char real[PATH_MAX];
    int error = source_path(real, path);
    if (error)
        return error;
    round_trip(STATFS);
    return statvfs(real, info) == -1 ? -errno : 0;
}

static const struct fuse_operations operations = {
    .getattr = slow_getattr,
    .readlink = slow_readlink,
    .open = slow_open,
    .read = slow_read,
    .write = slow_write,
    .fsync = slow_fsync,
    .statfs = slow_statfs,
    .release = slow_release,
    .opendir = slow_opendir,
    .readdir = slow_readdir,
};

static int usage(const char *program) {
    fprintf(stderr, "usage: %s SOURCE MOUNTPOINT [--delay-ms MS] [--listing-attrs] [--writable]\n",
            program);
    return 2;
}

int main(int argc, char *argv[]) {
    const char *folder = NULL, *mountpoint = NULL;
    double delay_ms = 0.5;
    for (int index = 1; index < argc; index++) {
        if (strcmp(argv[index], "--delay-ms") == 0 && index + 1 < argc) {
            char *end;
            delay_ms = strtod(argv[++index], &end);
            if (*end != '\0' || delay_ms < 0)
                return usage(argv[0]);
        } else if (strcmp(argv[index], "--listing-attrs") == 0) {
            listing_attrs = 1;
        } else if (strcmp(argv[index], "--writable") == 0) {
            writable = 1;
        } else if (folder == NULL) {
            folder = argv[index];
        } else if (mountpoint == NULL) {
            mountpoint = argv[index];
        } else {
            return usage(argv[0]);
        }
    }
    if (folder == NULL || mountpoint == NULL)
        return usage(argv[0]);
    if (realpath(folder, source) == NULL) {
        perror(folder);
        return 1;
    }
    if (strcmp(source, "/") == 0)
        source[0] = '\0'; /* "/" + "/path" would read "//path" */
    long nanoseconds = (long)(delay_ms * 1e6);
    delay.tv_sec = nanoseconds / 1000000000L;
    delay.tv_nsec = nanoseconds % 1000000000L;
    if (listing_attrs && hcreate_r(LISTED_MAX, &listed) == 0) {
        perror("hcreate_r");
        return 1;
    }
#define OPTIONS                                                                            \
    "fsname=taggarr-slowfs,attr_timeout=" ATTR_SECONDS ",entry_timeout=" ATTR_SECONDS          \
    ",max_threads=" THREADS ",max_idle_threads=" THREADS
    char *fuse_argv[] = {
        argv[0], (char *)mountpoint, "-f", "-o", writable ? "rw," OPTIONS : "ro," OPTIONS,
    };
    return fuse_main(5, fuse_argv, &operations, NULL);
}
