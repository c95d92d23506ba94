# keras_target(<target>): the warning and sanitizer flags every target of ours
# carries. Warnings stay at zero under -Wall -Wextra.
function(keras_target target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
  if(KERAS_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer
                                             -fno-sanitize-recover=undefined)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
endfunction()
