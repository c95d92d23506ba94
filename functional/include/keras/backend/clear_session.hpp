#pragma once
// keras::backend::clear_session(): forgets the automatic layer names handed
// out so far (the next Dense is "dense" again) and starts a fresh default
// graph, as Keras' keras.backend.clear_session() does. Existing layers and
// models keep working.
namespace keras::backend {

void clear_session();

}  // namespace keras::backend
