# Writes FILE.gz (gzip -9, no name or time stamp) beside FILE when it is smaller than FILE, and
# removes a FILE.gz that would not be: the server sends X.gz to clients that accept gzip.
#   cmake -DFILE=<path> -P gzip_if_smaller.cmake
execute_process(COMMAND gzip -9 -n -k -f "${FILE}" RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "gzip ${FILE} failed")
endif()
file(SIZE "${FILE}" _raw)
file(SIZE "${FILE}.gz" _gz)
if(NOT _gz LESS _raw)
  file(REMOVE "${FILE}.gz")
endif()
