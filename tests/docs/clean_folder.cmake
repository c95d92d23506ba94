# cmake -DFOLDER=<folder> -P clean_folder.cmake: empties the folder a docs
# page's programs run in (and its KERAS_HOME), so that no file of an earlier
# run stands in for one a program no longer writes.
if(NOT FOLDER)
  message(FATAL_ERROR "clean_folder.cmake: -DFOLDER=<folder> is required")
endif()
file(REMOVE_RECURSE "${FOLDER}")
file(MAKE_DIRECTORY "${FOLDER}/keras_home")
