#ifndef NEWT_CHDF5_SHIM_H
#define NEWT_CHDF5_SHIM_H
/* HDF5 (Debian libhdf5-dev, serial build). The library's type and property-list identifiers are
   macros over globals that Swift cannot import, so the few calls newtsim needs are wrapped here.
   Identifiers are hid_t (int64_t); negative values mean failure. Object modification times are
   not recorded, so the same data give byte-identical files. */
#include <hdf5/serial/hdf5.h>
#include <string.h>

/* Silences HDF5's automatic error printing (errors come back as negative return values). */
static inline void newt_h5_quiet(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }

static inline hid_t newt_h5_create(const char *path) {
    hid_t fcpl = H5Pcreate(H5P_FILE_CREATE);
    H5Pset_obj_track_times(fcpl, 0);
    hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, fcpl, H5P_DEFAULT);
    H5Pclose(fcpl);
    return f;
}

static inline hid_t newt_h5_open(const char *path) { return H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT); }
static inline int newt_h5_close_file(hid_t f) { return (int)H5Fclose(f); }

/* Creates the group `name` under `loc` (intermediate groups too) and closes it. */
static inline int newt_h5_make_group(hid_t loc, const char *name) {
    hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_create_intermediate_group(lcpl, 1);
    hid_t gcpl = H5Pcreate(H5P_GROUP_CREATE);
    H5Pset_obj_track_times(gcpl, 0);
    hid_t g = H5Gcreate2(loc, name, lcpl, gcpl, H5P_DEFAULT);
    H5Pclose(gcpl);
    H5Pclose(lcpl);
    if (g < 0) return -1;
    return (int)H5Gclose(g);
}

/* Writes a rank-`rank` float64 dataset `name` (path from `loc`, parent groups created). */
static inline int newt_h5_write_doubles(hid_t loc, const char *name, int rank, const unsigned long long *dims, const double *data) {
    hsize_t d[8];
    for (int i = 0; i < rank && i < 8; i++) d[i] = (hsize_t)dims[i];
    hid_t space = H5Screate_simple(rank, d, NULL);
    hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_create_intermediate_group(lcpl, 1);
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_obj_track_times(dcpl, 0);
    hid_t set = H5Dcreate2(loc, name, H5T_IEEE_F64LE, space, lcpl, dcpl, H5P_DEFAULT);
    herr_t status = set < 0 ? -1 : H5Dwrite(set, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, data);
    if (set >= 0) H5Dclose(set);
    H5Pclose(dcpl);
    H5Pclose(lcpl);
    H5Sclose(space);
    return (int)status;
}

/* Sets a variable-free, fixed-length UTF-8 string attribute `attr` on the object at `object`. */
static inline int newt_h5_write_string_attribute(hid_t loc, const char *object, const char *attr, const char *value) {
    size_t n = strlen(value);
    hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, n > 0 ? n : 1);
    H5Tset_cset(type, H5T_CSET_UTF8);
    hid_t space = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate_by_name(loc, object, attr, type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    herr_t status = a < 0 ? -1 : H5Awrite(a, type, n > 0 ? value : " ");
    if (a >= 0) H5Aclose(a);
    H5Sclose(space);
    H5Tclose(type);
    return (int)status;
}

/* Rank and dimensions (up to 8) of dataset `name`; returns the rank or −1. */
static inline int newt_h5_dataset_shape(hid_t loc, const char *name, unsigned long long *dims) {
    hid_t set = H5Dopen2(loc, name, H5P_DEFAULT);
    if (set < 0) return -1;
    hid_t space = H5Dget_space(set);
    hsize_t d[8];
    int rank = H5Sget_simple_extent_ndims(space);
    if (rank > 8) rank = -1;
    if (rank > 0) { H5Sget_simple_extent_dims(space, d, NULL); for (int i = 0; i < rank; i++) dims[i] = d[i]; }
    H5Sclose(space);
    H5Dclose(set);
    return rank;
}

/* Reads dataset `name` as float64 into `out` (sized by the caller from its shape). */
static inline int newt_h5_read_doubles(hid_t loc, const char *name, double *out) {
    hid_t set = H5Dopen2(loc, name, H5P_DEFAULT);
    if (set < 0) return -1;
    herr_t status = H5Dread(set, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, out);
    H5Dclose(set);
    return (int)status;
}

/* Length of string attribute `attr` on `object` (without terminator), or −1. */
static inline long newt_h5_string_attribute_length(hid_t loc, const char *object, const char *attr) {
    hid_t a = H5Aopen_by_name(loc, object, attr, H5P_DEFAULT, H5P_DEFAULT);
    if (a < 0) return -1;
    hid_t type = H5Aget_type(a);
    long n = (long)H5Tget_size(type);
    H5Tclose(type);
    H5Aclose(a);
    return n;
}

/* Reads string attribute `attr` into `out` (capacity ≥ length + 1; NUL-terminated). */
static inline int newt_h5_read_string_attribute(hid_t loc, const char *object, const char *attr, char *out, long capacity) {
    hid_t a = H5Aopen_by_name(loc, object, attr, H5P_DEFAULT, H5P_DEFAULT);
    if (a < 0) return -1;
    hid_t type = H5Aget_type(a);
    long n = (long)H5Tget_size(type);
    herr_t status = -1;
    if (n < capacity) { status = H5Aread(a, type, out); out[n] = 0; }
    H5Tclose(type);
    H5Aclose(a);
    return (int)status;
}

#endif
