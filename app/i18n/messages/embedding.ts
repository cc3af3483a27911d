// Interface texts of the Settings section where an admin lists the sites allowed to show the
// workspace's survey and pulse pages inside a frame (app/web/embed-origins.server.ts).
export const es = {
  "embed.title": "Insertar encuestas en otros sitios",
  "embed.intro":
    "Las páginas de encuesta (/s/…) y de pulso (/p/…) solo se muestran dentro de un marco (iframe) en este sitio y en los sitios de esta lista. Escriba el origen de cada sitio: https://, el dominio y, si hace falta, el puerto; sin ruta.",
  "embed.origins": "Sitios permitidos",
  "embed.hint": "Uno por línea, por ejemplo https://www.mi-marca.example. Déjelo vacío para que ningún otro sitio pueda insertarlas.",
  "embed.save": "Guardar sitios",
  "embed.notUrl": "«{origin}» no es una dirección web; escríbala como https://www.mi-marca.example.",
  "embed.notHttps": "«{origin}» debe empezar por https://: una página servida sin cifrar no puede mostrar las encuestas.",
  "embed.notOrigin": "«{origin}» lleva ruta, consulta o credenciales; escriba solo https:// y el dominio (y el puerto si no es el habitual).",
  "embed.wildcard": "«{origin}» usa un comodín (*); escriba cada sitio por separado.",
  "embed.tooLong": "«{origin}» es demasiado largo para ser un origen.",
  "embed.tooMany": "Como mucho {max} sitios.",
} as const;

export const en: Record<keyof typeof es, string> = {
  "embed.title": "Embedding surveys in other sites",
  "embed.intro":
    "The survey (/s/…) and pulse (/p/…) pages are shown inside a frame (iframe) only on this site and on the sites in this list. Type each site's origin: https://, the domain and, if needed, the port; no path.",
  "embed.origins": "Allowed sites",
  "embed.hint": "One per line, for example https://www.my-brand.example. Leave it empty so that no other site can embed them.",
  "embed.save": "Save sites",
  "embed.notUrl": "“{origin}” is not a web address; write it as https://www.my-brand.example.",
  "embed.notHttps": "“{origin}” must start with https://: a page served unencrypted cannot show the surveys.",
  "embed.notOrigin": "“{origin}” has a path, query or credentials; type only https:// and the domain (and the port if it is not the usual one).",
  "embed.wildcard": "“{origin}” uses a wildcard (*); list each site on its own.",
  "embed.tooLong": "“{origin}” is too long to be an origin.",
  "embed.tooMany": "At most {max} sites.",
};
